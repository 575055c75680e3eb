// The load balancer the multi-instance test (e2e/multi.spec.ts) runs in front of two instances: Debian's HAProxy,
// with the config in deploy/haproxy.cfg. MCPSCOPE_TEST_HAPROXY points at another copy.
export const HAPROXY_PATH = process.env.MCPSCOPE_TEST_HAPROXY || '/usr/sbin/haproxy';

/** The one line that says what to do when it is missing. */
export const HAPROXY_ADVICE = `e2e/multi.spec.ts needs Debian's haproxy at ${HAPROXY_PATH}: run \`sudo apt-get install -y haproxy\` (or set MCPSCOPE_TEST_HAPROXY to another copy).`;
