// The sandbox proxy's documents (SEP-1865 § Security: "If the Host is a web page, it MUST wrap the View and
// communicate with it through an intermediate Sandbox proxy. The Host and the Sandbox MUST have different
// origins"). The proxy page runs on its own origin (lib/apps-sandbox/server.ts); it waits for the host's
// `ui/notifications/sandbox-resource-ready`, renders the view's HTML in an inner sandboxed iframe (srcdoc: it
// inherits this document's CSP, which the server built from the resource's `_meta.ui.csp`), and relays JSON-RPC
// between the host and the view, checking both ends by window and origin.

/** The inner frame's sandbox: scripts and forms, its own (the proxy's) origin; no popups, no top navigation. */
export const VIEW_SANDBOX = 'allow-scripts allow-same-origin allow-forms';

export function proxyHtml(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mcpscope app sandbox</title>
<style>html,body{margin:0;padding:0;height:100%;overflow:hidden;background:transparent}iframe{border:0;width:100%;height:100%;display:block}</style>
<script src="/proxy.js"></script>
</head><body></body></html>
`;
}

/** The relay. Plain ES2020, no imports: the proxy origin serves nothing but this. */
export const PROXY_JS = `'use strict';
(function () {
  var params = new URLSearchParams(location.search);
  var HOST = params.get('host');
  var OWN = location.origin;
  if (window.top === window.self || !HOST) throw new Error('The mcpscope app sandbox only runs framed by mcpscope.');
  // Self-test: this page must not reach the host's document. If it can, isolation is broken: render nothing.
  try { void window.top.document; throw new Error('FAIL'); } catch (e) { if (e && e.message === 'FAIL') throw new Error('The sandbox is not isolated from the host.'); }
  var inner = null;
  var PERMISSIONS = { camera: 'camera', microphone: 'microphone', geolocation: 'geolocation', clipboardWrite: 'clipboard-write' };
  function isRpc(d) { return d && typeof d === 'object' && d.jsonrpc === '2.0'; }
  function injected(html) {
    // The reporter first, so it hears CSP violations of everything after it.
    var tag = '<script src="' + OWN + '/report.js"><\\/script>';
    var m = /<head[^>]*>/i.exec(html);
    if (m) return html.slice(0, m.index + m[0].length) + tag + html.slice(m.index + m[0].length);
    m = /<html[^>]*>/i.exec(html);
    if (m) return html.slice(0, m.index + m[0].length) + '<head>' + tag + '</head>' + html.slice(m.index + m[0].length);
    return tag + html;
  }
  function render(p) {
    if (inner) inner.remove();
    inner = document.createElement('iframe');
    inner.setAttribute('sandbox', ${JSON.stringify(VIEW_SANDBOX)});
    var allow = [];
    if (p.permissions && typeof p.permissions === 'object') {
      for (var k in PERMISSIONS) if (Object.prototype.hasOwnProperty.call(p.permissions, k)) allow.push(PERMISSIONS[k]);
    }
    if (allow.length) inner.setAttribute('allow', allow.join('; '));
    inner.setAttribute('title', 'App view');
    inner.srcdoc = injected(String(p.html));
    document.body.appendChild(inner);
  }
  window.addEventListener('message', function (event) {
    if (event.source === window.parent) {
      if (event.origin !== HOST || !isRpc(event.data)) return;
      if (event.data.method === 'ui/notifications/sandbox-resource-ready') {
        var p = event.data.params;
        if (p && typeof p.html === 'string') render(p);
        return;
      }
      if (inner && inner.contentWindow) inner.contentWindow.postMessage(event.data, '*');
    } else if (inner && event.source === inner.contentWindow) {
      if (!isRpc(event.data)) {
        window.parent.postMessage({ jsonrpc: '2.0', method: 'mcpscope/not-jsonrpc', params: { data: safe(event.data) } }, HOST);
        return;
      }
      window.parent.postMessage(event.data, HOST);
    }
  });
  function safe(v) { try { return JSON.parse(JSON.stringify(v)); } catch (e) { return String(v); } }
  window.parent.postMessage({ jsonrpc: '2.0', method: 'ui/notifications/sandbox-proxy-ready', params: {} }, HOST);
})();
`;

/** Runs first inside the view: tells the host (through the proxy) what the CSP blocked. */
export const REPORT_JS = `'use strict';
(function () {
  var sent = 0;
  document.addEventListener('securitypolicyviolation', function (e) {
    if (sent++ >= 20) return;
    window.parent.postMessage({ jsonrpc: '2.0', method: 'mcpscope/csp-violation', params: {
      directive: String(e.effectiveDirective || e.violatedDirective || '').slice(0, 64),
      blockedUri: String(e.blockedURI || '').slice(0, 512)
    } }, '*');
  });
})();
`;
