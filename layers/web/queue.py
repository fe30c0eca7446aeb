"""The image-export queue: background callbacks with bounds.

- Disk cache (default): each export runs in its own process, at most CONTROLMAP_EXPORTS_MAX (default 2)
  at once across every worker sharing the jobs folder; one more gets "busy, try again" at once, without
  starting a process. Results expire after CONTROLMAP_EXPORTS_EXPIRE seconds (default 600). The jobs
  folder is per server process and the folders of dead servers are removed at start.
- Celery with Redis (REDIS_URL): Celery's workers bound the work; results expire the same way. Redis is
  pinged with a 1 s timeout: when it is down an export fails at once (503) and /healthz says so.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil
from dash import CeleryManager, DiskcacheManager, no_update
from dash.background_callback.managers.diskcache_manager import _make_job_fn

app_log = logging.getLogger("controlmap")
BUSY_JOB = "busy"  # the job handle of an export refused at once: no process behind it
JOBS_PREFIX = "controlmap-jobs-"
RUNNING_KEY = "controlmap:running"


class JobQueueDown(Exception):
    """Redis is configured but does not answer: exports are refused at once (503)."""


class BoundedDiskcacheManager(DiskcacheManager):
    """A DiskcacheManager that starts at most ``limit`` export processes at once (across processes that
    share the cache); beyond that the result "busy, try again" is stored at once and no process starts."""

    def __init__(self, cache: Any, limit: int, expire: int):
        super().__init__(cache, expire=expire)
        self.limit = limit

    def make_job_fn(self, fn: Any, progress: Any, key: Any = None) -> Any:
        return _make_job_fn(fn, _Expiring(self.handle, self.expire), progress)

    def running(self) -> list[int]:
        pids = self.handle.get(RUNNING_KEY, [])
        return [p for p in pids if psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE]

    def call_job_fn(self, key: Any, job_fn: Any, args: Any, context: Any) -> Any:
        self.handle.expire()  # drop results nobody fetched
        with self.handle.transact():
            running = self.running()
            if len(running) >= self.limit:
                self.handle.set(key, [no_update, f"Busy: {len(running)} exports are running. Try again in a "
                                                 "minute."], expire=self.expire)
                return BUSY_JOB
            pid = super().call_job_fn(key, job_fn, args, context)
            self.handle.set(RUNNING_KEY, running + [pid])
        return pid

    def job_running(self, job: Any) -> bool:
        return False if str(job) == BUSY_JOB else bool(super().job_running(job))

    def terminate_job(self, job: Any) -> None:
        if job is not None and str(job) not in (BUSY_JOB, "0", "None"):
            super().terminate_job(job)

    def terminate_unhealthy_job(self, job: Any) -> bool:
        return False if str(job) in (BUSY_JOB, "0", "None") else bool(super().terminate_unhealthy_job(job))


class _Expiring:
    """The cache as a job sees it: every result and progress entry it stores expires."""

    def __init__(self, cache: Any, expire: int):
        self.cache, self.expire = cache, expire

    def set(self, key: Any, value: Any) -> None:
        self.cache.set(key, value, expire=self.expire)


class GuardedCeleryManager(CeleryManager):
    """A CeleryManager that refuses at once when Redis is down, instead of holding a thread for the
    broker's retries."""

    def __init__(self, app: Any, queue: ExportQueue, expire: int):
        super().__init__(app, expire=expire)
        self.queue = queue

    def call_job_fn(self, key: Any, job_fn: Any, args: Any, context: Any) -> Any:
        if not self.queue.redis_ok():
            raise JobQueueDown("the job queue (Redis) does not answer")
        return super().call_job_fn(key, job_fn, args, context)


class ExportQueue:
    def __init__(self, redis_url: str | None, folder: Path | None, limit: int, expire: int):
        self.redis_url, self.limit, self.expire = redis_url, limit, expire
        self.celery_app: Any = None
        self._redis_checked = (0.0, True)
        if redis_url:
            from celery import Celery

            self.celery_app = Celery("controlmap", broker=redis_url, backend=redis_url)
            self.celery_app.conf.update(
                result_expires=expire, broker_connection_retry_on_startup=False, broker_connection_max_retries=1,
                broker_transport_options={"socket_connect_timeout": 1, "socket_timeout": 5, "max_retries": 1},
                redis_socket_connect_timeout=1, redis_socket_timeout=5, redis_retry_on_timeout=False)
            self.manager: Any = GuardedCeleryManager(self.celery_app, self, expire)
            self.folder = None
            if not self.redis_ok():
                app_log.error("REDIS_URL is set but Redis does not answer: image exports are refused until it does")
        else:
            import diskcache

            self.folder = folder or fresh_jobs_folder()
            self.manager = BoundedDiskcacheManager(diskcache.Cache(str(self.folder)), limit, expire)

    @classmethod
    def from_env(cls) -> ExportQueue:
        folder = os.environ.get("CONTROLMAP_JOBS")
        return cls(os.environ.get("REDIS_URL") or None, Path(folder) if folder else None,
                   max(1, int(os.environ.get("CONTROLMAP_EXPORTS_MAX", "2"))),
                   max(10, int(os.environ.get("CONTROLMAP_EXPORTS_EXPIRE", "600"))))

    def redis_ok(self) -> bool:
        """Ping Redis (1 s timeout), at most every 5 s."""
        checked_at, ok = self._redis_checked
        if not self.redis_url or time.monotonic() - checked_at < 5:
            return ok
        import redis

        try:
            ok = bool(redis.Redis.from_url(self.redis_url, socket_connect_timeout=1, socket_timeout=1).ping())
        except (redis.RedisError, OSError, ValueError):
            ok = False
        self._redis_checked = (time.monotonic(), ok)
        return ok

    def health(self) -> dict[str, Any]:
        if self.redis_url:
            ok = self.redis_ok()
            return {"jobs": {"backend": "celery", "status": "ok" if ok else "redis unreachable"}}
        running = len(self.manager.running())
        return {"jobs": {"backend": "diskcache", "status": "ok", "running": running, "limit": self.limit}}


def fresh_jobs_folder() -> Path:
    """A jobs folder for this server process; the folders of servers that no longer run are removed."""
    base = Path(tempfile.gettempdir())
    for old in base.glob(f"{JOBS_PREFIX}*"):
        pid = old.name[len(JOBS_PREFIX):]
        dead = not psutil.pid_exists(int(pid)) if pid.isdigit() else time.time() - old.stat().st_mtime > 86400
        if dead and old.is_dir():
            with contextlib.suppress(OSError):
                shutil.rmtree(old)
    folder = base / f"{JOBS_PREFIX}{os.getpid()}"
    if folder.exists():  # a recycled pid: whatever is there belongs to a dead server
        shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(mode=0o700)
    return folder
