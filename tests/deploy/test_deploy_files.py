"""The files of deploy/ hang together: the nginx template renders and nginx accepts it,
the systemd units are valid and start what the Procfile starts, and the template refuses a
placeholder without a value."""

import re
import shutil
import subprocess

import pytest

from .topology import DEPLOY, NGINX, load_render, nginx_main_config, procfile, self_signed

UNITS = DEPLOY / "systemd"


def test_deploy_nginx_template_renders_and_nginx_accepts_it(tmp_path):
    if not shutil.which(NGINX):
        pytest.skip("nginx not found; apt-get install nginx-light")
    cert, key = self_signed(tmp_path)
    site = tmp_path / "site.conf"
    site.write_text(
        load_render().render(
            (DEPLOY / "nginx" / "buurtwacht.conf").read_text(),
            {
                "BW_TLS_CERTIFICATE": str(cert),
                "BW_TLS_KEY": str(key),
                "BW_WEB_PORTS": "9001 9002 9003",
            },
        )
    )
    text = site.read_text()
    assert "${BW_" not in text
    assert text.count("server 127.0.0.1:900") == 3  # one upstream line per web process
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in text  # nginx's own, untouched
    done = subprocess.run(
        [NGINX, "-t", "-c", str(nginx_main_config(tmp_path, site))],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


def test_deploy_render_refuses_a_placeholder_without_value():
    with pytest.raises(SystemExit, match="BW_NOT_SET"):
        load_render().render("listen ${BW_NOT_SET};", {})


def test_deploy_systemd_units_are_valid_and_start_what_the_procfile_starts():
    def exec_start(unit: str) -> str:
        line = re.search(r"^ExecStart=(.+)$", (UNITS / unit).read_text(), re.MULTILINE)
        return line.group(1).replace("/opt/buurtwacht/.venv/bin/python", "PY")

    processes = {
        name: re.sub(r"\$\{BW_\w+:-([^}]*)\}", r"\1", command).replace(".venv/bin/python", "PY")
        for name, command in procfile().items()
    }
    assert processes["worker"] == exec_start("buurtwacht-worker.service")
    web = exec_start("buurtwacht-web@.service")
    assert processes["web1"] == web.replace("%i", "8001")
    assert processes["web2"] == web.replace("%i", "8002")
    target = (UNITS / "buurtwacht.target").read_text()
    assert "buurtwacht-web@8001.service buurtwacht-web@8002.service" in target
    analyze = shutil.which("systemd-analyze")
    if not analyze:
        return
    done = subprocess.run(
        [
            analyze,
            "verify",
            *(
                str(UNITS / name)
                for name in (
                    "buurtwacht-web@8001.service",
                    "buurtwacht-worker.service",
                    "buurtwacht-migrate.service",
                    "buurtwacht.target",
                )
            ),
        ],
        capture_output=True,
        text=True,
        cwd=UNITS,
    )
    # Only the install's own paths are missing on this machine (no /opt/buurtwacht here).
    problems = [
        line
        for line in done.stderr.splitlines()
        if line.strip() and "/opt/buurtwacht/.venv/bin/python is not executable" not in line
    ]
    assert problems == []
