"""Fill in a deploy/ template: every ${BW_NAME} placeholder from the environment, else from
DEFAULTS below; nothing else is touched (nginx's own $variables stay as they are).

    BW_SERVER_NAME=buurtwacht.example.nl python3 deploy/render.py deploy/nginx/buurtwacht.conf

BW_UPSTREAM_SERVERS is made from BW_WEB_PORTS ("8001 8002": one `server` line per web
process) unless it is given itself.  A placeholder without a value stops with its name.
Standard library only: it runs before the virtual environment exists.
"""

import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path

PLACEHOLDER = re.compile(r"\$\{(BW_[A-Z0-9_]+)\}")
DEFAULTS = {
    "BW_SERVER_NAME": "buurtwacht.example.nl",
    "BW_HTTP_PORT": "80",
    "BW_HTTPS_PORT": "443",
    "BW_WEB_PORTS": "8001 8002",
    "BW_STATIC_ROOT": "/var/lib/buurtwacht/static",
    "BW_TLS_CERTIFICATE": "/etc/letsencrypt/live/buurtwacht.example.nl/fullchain.pem",
    "BW_TLS_KEY": "/etc/letsencrypt/live/buurtwacht.example.nl/privkey.pem",
}


def upstream_servers(ports: str) -> str:
    return "\n".join(
        f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in ports.split()
    )


def render(template: str, values: Mapping[str, str]) -> str:
    """The template with its placeholders filled from `values` (then DEFAULTS)."""
    known = {**DEFAULTS, **{k: v for k, v in values.items() if k.startswith("BW_")}}
    known.setdefault("BW_UPSTREAM_SERVERS", upstream_servers(known["BW_WEB_PORTS"]))

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in known:
            raise SystemExit(f"render: no value for {name}")
        return known[name]

    return PLACEHOLDER.sub(fill, template)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python3 deploy/render.py TEMPLATE > OUTPUT")
    sys.stdout.write(render(Path(sys.argv[1]).read_text(), os.environ))
