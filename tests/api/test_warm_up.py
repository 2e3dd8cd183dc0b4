"""What a server loads before its first request needs it."""

from __future__ import annotations


def test_a_server_loads_the_screen_and_the_segmenter_in_the_background():
    """A server compiles the compliance rules and loads jieba's dictionary while its index
    loads, not on its first write or query; without BM25 jieba is left alone."""
    import subprocess
    import sys

    code = (
        "import sys, jieba\n"
        "from api.app import warm_up\n"
        "from matcher.compliance.screen import default_rules\n"
        "from matcher.config import Settings\n"
        "assert not jieba.dt.initialized and default_rules.cache_info().currsize == 0\n"
        "thread = warm_up(Settings.from_env(env={}, lexical=sys.argv[1] == 'on'))\n"
        "assert thread.daemon\n"
        "thread.join(60)\n"
        "print(jieba.dt.initialized, default_rules.cache_info().currsize)\n"
    )
    for lexical, expected in (("on", "True 1"), ("off", "False 1")):
        done = subprocess.run(
            [sys.executable, "-c", code, lexical], capture_output=True, text=True, check=True
        )
        assert done.stdout.strip() == expected


def test_a_server_calls_its_encoder_once_before_the_first_request(settings, store):
    """The encoder's first call in a process is slow; a server makes it at start, after the
    index is loaded, so the first posting written is not the one that waits."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from matcher.text.encoders import FakeEncoder

    class Counting(FakeEncoder):
        def __init__(self, dimension: int) -> None:
            super().__init__(dimension)
            self.calls: list[int] = []

        def encode_positions(self, texts):  # type: ignore[no-untyped-def]
            self.calls.append(len(texts))
            return super().encode_positions(texts)

    encoder = Counting(16)
    with TestClient(create_app(settings.replace(api_worker=False), store, encoder)):
        assert encoder.calls == [1]  # the store is empty: nothing else was encoded
