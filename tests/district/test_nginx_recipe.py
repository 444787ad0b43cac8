"""The reverse-proxy recipe (docs/examples/nginx-district.conf) run by Debian's nginx, with TLS.

The recipe is taken as an operator would copy it; only what a test on loopback must change
is changed (ports, certificate and log paths, the hub's port), each change checked so a
reworded recipe fails here rather than going untested. A self-signed certificate stands in
for certbot's.
"""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn
from district_net import free_port

from district.app import create_app
from district.web.guard import WebSettings

RECIPE = Path(__file__).parents[2] / "docs/examples/nginx-district.conf"
NAME = "thuvien.dongthap.example.vn"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def site_from_recipe(folder: Path, http: int, https: int, hub: int) -> str:
    text = RECIPE.read_text()
    changes = [
        ("    listen [::]:80;\n", ""), ("    listen [::]:443 ssl http2;\n", ""),
        ("listen 80;", f"listen 127.0.0.1:{http};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https} ssl http2;"),
        (f"/etc/letsencrypt/live/{NAME}/fullchain.pem", str(folder / "cert.pem")),
        (f"/etc/letsencrypt/live/{NAME}/privkey.pem", str(folder / "key.pem")),
        ("/var/log/nginx/", f"{folder}/"), ("root /var/www/html;", f"root {folder};"),
        ("127.0.0.1:8480", f"127.0.0.1:{hub}"),
    ]
    for old, new in changes:
        assert old in text, f"the recipe no longer has {old!r}"
        text = text.replace(old, new)
    return text


def nginx_conf(folder: Path, site: Path) -> str:
    temp = " ".join(f"{kind}_temp_path {folder}/{kind};" for kind in
                    ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"pid {folder}/nginx.pid;\nerror_log {folder}/error.log;\ndaemon off;\n"
            f"master_process off;\nevents {{ worker_connections 64; }}\n"
            f"http {{ access_log {folder}/access.log; {temp} include {site}; }}\n")


def self_signed(folder: Path) -> None:
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem"),
                    "-subj", f"/CN={NAME}", "-addext",
                    f"subjectAltName=DNS:{NAME},IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=60)


def wait_for(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


@pytest.fixture
def behind_nginx(network, tmp_path):
    """The hub as `district serve --behind-https` runs it, and nginx from the recipe."""
    app = create_app(network.district.store.path, network.district,
                     settings=WebSettings(frozenset({"127.0.0.1"})))
    hub = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=hub, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    folder = tmp_path / "nginx"
    folder.mkdir()
    self_signed(folder)
    http, https = free_port(), free_port()
    site = folder / "district.conf"
    site.write_text(site_from_recipe(folder, http, https, hub))
    conf = folder / "nginx.conf"
    conf.write_text(nginx_conf(folder, site))
    checked = subprocess.run([NGINX, "-t", "-p", str(folder), "-c", str(conf)],
                             capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
    proxy = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(conf)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        wait_for(hub, deadline)
        wait_for(https, deadline)
        yield {"http": http, "https": https, "hub": hub, "cert": str(folder / "cert.pem")}
    finally:
        proxy.terminate()
        proxy.wait(timeout=10)
        server.should_exit = True
        thread.join(timeout=10)


def trusting(ports) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=ports["cert"])


def test_the_recipe_serves_the_hub_over_tls_with_secure_cookies_and_redirects_http(behind_nginx):
    ports = behind_nginx
    with httpx.Client(verify=trusting(ports), headers={"Host": NAME}, timeout=10) as tls:
        page = tls.get(f"https://127.0.0.1:{ports['https']}/")
        assert page.status_code == 200 and "<html" in page.text.lower()
        assert page.headers["strict-transport-security"] == "max-age=31536000"
        assert "Secure" in page.headers["set-cookie"]  # X-Forwarded-Proto reached the hub
        hello = tls.get(f"https://127.0.0.1:{ports['https']}/sync/v1/hello")
        assert hello.status_code == 200 and hello.json()["role"] == "district"
    direct = httpx.get(f"http://127.0.0.1:{ports['hub']}/", timeout=10)
    assert "Secure" not in direct.headers["set-cookie"]  # plain HTTP straight to the hub
    plain = httpx.get(f"http://127.0.0.1:{ports['http']}/tim?q=kieu", headers={"Host": NAME},
                      timeout=10)
    assert plain.status_code == 301
    assert plain.headers["location"] == f"https://{NAME}/tim?q=kieu"


def test_the_recipe_refuses_a_body_over_its_limit_and_passes_a_push_on_to_the_hub(behind_nginx):
    ports = behind_nginx
    with httpx.Client(verify=trusting(ports), headers={"Host": NAME}, timeout=30) as tls:
        url = f"https://127.0.0.1:{ports['https']}/sync/v1/push"
        refused = tls.post(url, content=b"x" * (18 * 1024 * 1024))
        assert refused.status_code == 413 and "nginx" in refused.text
        unsigned = tls.post(url, content=b"x" * (1024 * 1024),
                            headers={"Content-Type": "application/json"})
        assert unsigned.status_code in (400, 401) and "nginx" not in unsigned.text
