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
