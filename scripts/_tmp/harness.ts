import http from 'node:http';
import { AsyncLocalStorage } from 'node:async_hooks';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { serveRpcDirectly } from '../../lib/direct-rpc';
import { getRegistry } from '../../lib/sessions';
const als = new AsyncLocalStorage<number>();
function runLoad(port: number, sid: string, owner: string, n: number): Promise<void> {
  const load = spawn(process.execPath, ['-e', `
    const u='http://127.0.0.1:${port}/api/sessions/${sid}/rpc';
    (async()=>{const lat=[];for(let i=0;i<${n};i++){const t=performance.now();const r=await fetch(u,{method:'POST',headers:{'content-type':'application/json',cookie:'mcpscope_owner=${owner}'},body:JSON.stringify({method:'tools/call',params:{name:'add',arguments:{a:i,b:1}}})});const j=await r.json();if(r.status!==200)throw new Error(JSON.stringify(j));lat.push(performance.now()-t)}
    lat.sort((a,b)=>a-b);console.log('median',lat[lat.length>>1].toFixed(3))})()`], { stdio: 'inherit' });
  return new Promise((r) => load.on('exit', () => r()));
}
async function main() {
  const child = spawn(process.execPath, ['--import', 'tsx', 'e2e/fixtures/bench/run.ts'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const url = await new Promise<string>((r) => createInterface({ input: child.stdout! }).once('line', (l) => r(JSON.parse(l).url)));
  const owner = 'harness-owner-0000000000000001';
  const outcome: any = await getRegistry().create(owner, { url });
  const srv = http.createServer((req, res) => als.run(1, () => serveRpcDirectly(req, res, () => { res.writeHead(599).end(); })));
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as any).port;
  await runLoad(port, outcome.session.id, owner, 500);
  const inspector = new Session(); inspector.connect();
  await inspector.post('Profiler.enable'); await inspector.post('Profiler.start');
  const c0 = process.cpuUsage();
  const n = Number(process.argv[2] ?? '2000');
  await runLoad(port, outcome.session.id, owner, n);
  const c = process.cpuUsage(c0);
  const { profile } = await inspector.post('Profiler.stop');
  writeFileSync('/tmp/harness.cpuprofile', JSON.stringify(profile));
  console.log('app cpu per call ms', ((c.user + c.system) / 1000 / n).toFixed(3));
  child.kill(); process.exit(0);
}
main();
