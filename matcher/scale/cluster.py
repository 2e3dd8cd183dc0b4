"""The one module that imports Ray: joining or starting a cluster, and a pool of actors that
each hold what they loaded once (an index snapshot) and answer batches in order.

Actors ask for a fraction of a CPU (``MATCHER_RAY_WORKER_CPUS``, default 0.5): on a small
machine, actors that each claim a whole CPU leave nothing to the tasks that feed them."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterable, Iterator
from typing import Any

from matcher.errors import MatcherError


class RayUnavailableError(MatcherError):
    """Ray is not installed, or no cluster could be joined or started."""


def _ray() -> Any:
    try:
        return importlib.import_module("ray")
    except ImportError:
        raise RayUnavailableError(
            "Ray is not installed: pip install 'graduate-job-matcher[ray]' (or pip install ray), "
            "or leave MATCHER_RAY_ADDRESS unset and run on this machine alone",
            zh="未安装 Ray：请安装 ray，或不设置 MATCHER_RAY_ADDRESS 以单机运行",
        ) from None


def connect(address: str, cpus: int | None = None) -> None:
    """Join the cluster at ``address`` (``auto``: the one started on this host by ``ray
    start``; ``local``: start one inside this process with ``cpus`` CPUs). Calling it again
    is harmless."""
    ray = _ray()
    if ray.is_initialized():
        return
    options: dict[str, Any] = {
        "include_dashboard": False,
        "log_to_driver": False,
        "configure_logging": False,
        # workers on this host import the package the way this process does (other nodes
        # need it installed; paths missing there are ignored)
        "runtime_env": {"env_vars": {"PYTHONPATH": os.pathsep.join(_paths())}},
    }
    if address == "local":
        options["num_cpus"] = cpus or os.cpu_count() or 1
    else:
        options["address"] = address
    try:
        ray.init(**options)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise RayUnavailableError(
            f"MATCHER_RAY_ADDRESS={address!r}: no Ray cluster could be joined ({exc}); start one "
            "with `ray start --head`, use `local` to start one in this process, or unset it",
            zh=f"无法连接 Ray 集群 {address}：请先执行 ray start --head，或改用 local",
        ) from exc


def _paths() -> list[str]:
    return [p for p in sys.path if p and os.path.isdir(p)]


def shutdown() -> None:
    """Leave the cluster (stops it when this process started it)."""
    ray = _ray()
    if ray.is_initialized():
        ray.shutdown()


class ActorPool:
    """``size`` actors of ``cls`` (built with ``args``), each asking for ``cpus`` CPUs, that
    answer a stream of work items in order. Actors are stopped by :meth:`close`."""

    def __init__(self, cls: type, size: int, cpus: float, *args: Any) -> None:
        if size < 1:
            raise ValueError(f"a pool needs at least one actor, not {size}")
        ray = _ray()
        remote = ray.remote(num_cpus=cpus, max_restarts=0)(cls)
        self._actors = [remote.remote(*args) for _ in range(size)]
        ray.get([a.ready.remote() for a in self._actors])  # loading errors surface here
        self._pool = importlib.import_module("ray.util").ActorPool(self._actors)

    def map(self, method: str, items: Iterable[Any]) -> Iterator[Any]:
        """``actor.method(item)`` for each item, spread over the actors; results in order."""

        def call(actor: Any, item: Any) -> Any:
            return getattr(actor, method).remote(item)

        return iter(self._pool.map(call, list(items)))

    def close(self) -> None:
        ray = _ray()
        for actor in self._actors:
            ray.kill(actor)
        self._actors = []
