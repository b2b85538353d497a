const CONFIG = `Configuration (every command):
  WITBOOST_BASE_URL            Witboost address, e.g. https://witboost.example.com (or --base-url URL)
  WITBOOST_ACCESS_TOKEN        the access token (wbat-…), or:
  --token-file FILE            read it from FILE, re-read when the file changes (or WITBOOST_ACCESS_TOKEN_FILE)
  --token-stdin                read it from standard input (first line)
  --basic                      Basic instead of Bearer (or WITBOOST_AUTH_MODE=basic)
  --cg-url URL                 Computational Governance on an origin of its own (or WITBOOST_CG_URL)
  --allow-insecure-http        allow http:// to a host that is not loopback
  --timeout SECONDS            bound of one exchange or check (default 10)
  -h, --help                   this help
A token given as an argument is refused: other users see arguments in \`ps\`.

Exit codes: 0 ok, 1 credentials rejected, 2 usage or configuration error,
            3 Witboost unreachable or unavailable (network, timeout, 5xx, 429)`;

export const HELP: Record<string, string> = {
  main: `wb-auth: Witboost credentials for shell scripts, CI jobs and other languages

Usage: wb-auth <command> [options]

Commands:
  token    print a JWT:                  export JWT=$(wb-auth token)
  header   print the Authorization value for a URL:
                                         curl -H "Authorization: $(wb-auth header "$URL")" "$URL"
  status   who am I: subject, scope, lifetime, clock skew (never a secret)
  doctor   check configuration, DNS, TLS, reachability, exchange, CG scope, Basic, clock, proxy
  proxy    a local authenticating proxy: curl http://127.0.0.1:PORT/api/catalog/entities

Run wb-auth <command> --help for its options. wb-auth --version prints the version.

${CONFIG}
`,
  token: `Usage: wb-auth token [--scope S] [--duration N] [--format raw|json|env]

Exchanges the access token for a JWT and prints it on stdout, and nothing else.
  --scope S        space-separated scopes, e.g. service:computational-governance
  --duration N     requested lifetime in seconds (default: the server's, 300)
  --format F       raw (default): the JWT
                   json: {"token","token_type","expires_at","expires_on","scope","subject"}
                   env: lines for eval: export WITBOOST_JWT=…, WITBOOST_JWT_EXPIRES_ON=…
One exchange, no retry: on exit 3 a script may retry.

${CONFIG}
`,
  header: `Usage: wb-auth header <url> [--duration N]

Prints the Authorization value for <url> (absolute, or a path below WITBOOST_BASE_URL):
"Bearer <jwt>" with the scope the URL needs (service:computational-governance under
/api/computational-governance), or "Basic …" in Basic mode. For a URL that is not Witboost's
it prints nothing and exits 2.
  --duration N     requested JWT lifetime in seconds

${CONFIG}
`,
  status: `Usage: wb-auth status [--json] [--scope S]

Exchanges the access token once and shows who it is: subject, scope, lifetime and expiry, base
URL, the token's fingerprint (wbat-…abcd), and the clock skew against the server's Date header.
Never prints a secret.
  --json           one JSON object instead of text
  --scope S        the scope to ask for

${CONFIG}
`,
  doctor: `Usage: wb-auth doctor [--json]

Checks, each with its own timeout (--timeout), and prints PASS or FAIL, with a fix (or advice):
configuration, DNS, TLS, reachability, the exchange, the Computational Governance scope,
whether Basic auth is enabled, clock skew, proxy variables. Exits with the code of the first
failure (0 when nothing failed).
  --json           {"ok", "checks": [{"name","status","detail","fix","durationMs"}]}

${CONFIG}
`,
  proxy: `Usage: wb-auth proxy [--port 0] [--host 127.0.0.1] [--allow-remote] [--allow-host NAME]

A local HTTP proxy to Witboost that adds fresh credentials to every request:
  curl http://127.0.0.1:PORT/api/catalog/entities
Prints "listening on http://HOST:PORT" on stdout when ready. Requests under
/api/computational-governance go to --cg-url when set. /healthz and /readyz answer locally.
  --port N         port to listen on (default 0: any free port)
  --host H         interface (default 127.0.0.1); anything but loopback needs --allow-remote
  --allow-remote   allow a non-loopback --host: anyone who reaches it acts as your account
  --allow-host N   also accept this Host name (repeatable); IPs and localhost always pass
  --duration N     requested JWT lifetime in seconds
  --upstream-timeout S   Witboost must start answering within S seconds, else 504 (default 120)
Incoming Authorization, Proxy-Authorization and Cookie headers are dropped, a Host that is
not the proxy's own gets 421 (DNS rebinding), a cross-site browser request gets 403.
SIGTERM or SIGINT stops accepting, lets in-flight requests finish, and exits 0.

${CONFIG}
`,
};
