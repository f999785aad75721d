import socket

import pytest

from conftest import NetworkBlocked


def test_network_is_blocked_in_tests():
    with pytest.raises(NetworkBlocked):
        socket.create_connection(("93.184.216.34", 80), timeout=1)


def test_loopback_is_allowed():
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    cli = socket.create_connection(srv.getsockname(), timeout=1)
    cli.close()
    srv.close()


def test_no_runtime_downloads_in_package():
    from conftest import ROOT

    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "lib").rglob("*.py")
        if "nltk.download(" in p.read_text(encoding="utf-8")
        or "from_pretrained(" in p.read_text(encoding="utf-8")
    ]
    assert offenders == []
