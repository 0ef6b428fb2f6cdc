"""Results that several fields of one request wait for, cancelled only when all of them are.

A DataLoader hands every field that loads the same key the same future; a lazy result
(the section tree, a list's count) is one run that every caller awaits. graphql-core
cancels work that is no longer wanted: the siblings of a field whose error nulls their
parent, and the whole execution at the request's deadline. Cancelling a task cancels the
future it is waiting on, so one cancelled field cancelled the result the others were
waiting for too, and they failed with ``CancelledError`` (an HTTP 500).

Here no task waits on the shared future (a :class:`SharedFuture`) itself: each caller gets
a future of its own, settled from it in the same loop turn, so a cancelled caller is let go
at once, as before, and the others keep waiting. (Handing the shared future itself to its
first caller, and holding that caller's cancellation until the result came, cost less but
let errors surface in another order from one run to the next.) The shared future is
cancelled when the last of its callers is, so work nobody waits for still stops (a request
cancelled as a whole stops its statements, as Strawberry's DataLoader intends). A result
already there is handed as it is: awaiting it does not suspend, so nothing can cancel it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Any, Generic, TypeVar

from strawberry.dataloader import DataLoader, get_current_batch
from strawberry.exceptions import WrongNumberOfResultsReturned

K = TypeVar("K")
T = TypeVar("T")


class SharedFuture(asyncio.Future[T]):
    """A future for several callers: :meth:`take` hands each a future of its own."""

    # Class defaults: a future that nobody waits for never writes them.
    _others: list[_Own[T]] | None = None
    _waiting = 0

    def take(self) -> asyncio.Future[T]:
        """This future itself once it is done; before, a future of the caller's own: it
        gets this one's result, error or cancellation, and cancelling it cancels this one
        only if no other caller is left waiting."""
        if self.done():
            return self
        own = _Own[T](loop=self.get_loop())
        own.shared = self
        if self._others is None:
            self._others = []
        self._others.append(own)
        self._waiting += 1
        return own

    def set_result(self, result: T) -> None:
        super().set_result(result)
        if self._others:
            self._settle()

    def set_exception(self, exception: type | BaseException) -> None:
        super().set_exception(exception)
        if self._others:
            self._settle()

    def end(self, msg: Any | None = None) -> bool:
        """Cancel this future and every caller's, whoever still waits."""
        if not super().cancel(msg):
            return False
        self._settle()
        return True

    def left(self) -> None:
        """A caller was cancelled: end this future if nobody is left waiting."""
        self._waiting -= 1
        if self._waiting == 0 and not self.done():
            self.end()

    def _settle(self) -> None:
        """The callers' futures get this one's state, in the same loop turn (no callback in
        between)."""
        others = self._others
        if not others:
            return
        self._others = None
        self._waiting = 0
        cancelled = self.cancelled()
        error = None if cancelled else self.exception()
        for own in others:
            if own.done():
                continue
            if cancelled:
                asyncio.Future.cancel(own)
            elif error is not None:
                own.set_exception(error)
            else:
                own.set_result(self.result())


class _Own(asyncio.Future[T]):
    """A caller's future of a :class:`SharedFuture`."""

    shared: SharedFuture[T]

    def cancel(self, msg: Any | None = None) -> bool:
        if not super().cancel(msg):
            return False
        self.shared.left()
        return True


class SharedLoader(DataLoader[K, T]):
    """Strawberry's DataLoader, where cancelling one field does not cancel the others' wait.

    Each key's future is a :class:`SharedFuture` (``load_many`` goes through ``load``): it
    is cancelled only when every caller waiting for it is. Use it for any loader whose keys
    several fields may load."""

    def __init__(
        self,
        load_fn: Callable[[list[K]], Awaitable[Sequence[T | BaseException]]],
        cache_key_fn: Callable[[K], Hashable] | None = None,
    ) -> None:
        super().__init__(load_fn=load_fn, cache_key_fn=cache_key_fn)

    def load(self, key: K) -> Awaitable[T]:
        # Strawberry's ``load``, with a SharedFuture for a key not asked before.
        known = self.cache_map.get(key)
        if known is not None and not known.cancelled():
            return known.take() if isinstance(known, SharedFuture) else known
        shared: SharedFuture[T] = SharedFuture(loop=self.loop)
        self.cache_map.set(key, shared)
        batch = self.batch
        # Strawberry cancels the run of a batch whose every future is cancelled, before it
        # starts, and the batch stays current: a key joining it would wait forever. Start a
        # new one (if this batch still runs after all, that is one more statement).
        tasks = batch.tasks if batch is not None and not batch.dispatched else None
        if tasks and tasks[-1].future.cancelled():
            self.batch = None
        get_current_batch(self).add_task(key, shared)
        return shared.take()

    async def load_now(self, keys: Sequence[K]) -> list[T]:
        """The values of ``keys``, for a caller that holds a whole batch already (a plan's
        generation, :mod:`gqlnews.graphql.plans.run`): the keys not known yet are loaded
        now, in one call of the load function, without Strawberry's batch (a task and a loop
        turn to start it, then a future of the caller's own and two callbacks per key: 5 µs
        a key). They go into the cache as :meth:`load`'s keys do, so a later ``load`` gets
        them; a key another caller is loading is waited for as :meth:`load` waits.

        A failing load fails each of its keys, for whoever waits for them too, and is
        raised; when the caller is cancelled, the load stops and its keys are cancelled
        for every caller (they were this load's to answer)."""
        cache = self.cache_map
        known: list[asyncio.Future[T]] = []
        missing_keys: list[K] = []
        missing: list[SharedFuture[T]] = []
        for key in keys:
            future = cache.get(key)
            if future is None or future.cancelled():
                shared: SharedFuture[T] = SharedFuture(loop=self.loop)
                shared._waiting = 1  # this load waits for it: another caller leaving cannot end it
                cache.set(key, shared)
                missing_keys.append(key)
                missing.append(shared)
                future = shared
            known.append(future)
        if missing:
            await self._answer(missing_keys, missing)
        values: list[T] = []
        error: BaseException | None = None
        for future in known:
            if not future.done():  # another caller's load: waited for as load() waits
                future = future.take() if isinstance(future, SharedFuture) else future
                with contextlib.suppress(Exception):  # read below
                    await future
            failure = future.exception()  # marks it retrieved
            if failure is not None:
                error = error or failure
            elif error is None:
                values.append(future.result())
        if error is not None:
            raise error
        return values

    async def _answer(self, keys: list[K], futures: list[SharedFuture[T]]) -> None:
        """Load ``keys`` and settle their ``futures`` (as Strawberry's ``dispatch_batch``
        settles a batch's)."""
        try:
            values = list(await self.load_fn(keys))
            if len(values) != len(keys):
                raise WrongNumberOfResultsReturned(expected=len(keys), received=len(values))
        except Exception as error:
            for future in futures:
                if not future.done():
                    future.set_exception(error)
            return
        except BaseException:
            for future in futures:
                future.end()
            raise
        for future, value in zip(futures, values, strict=True):
            if future.done():
                continue
            if isinstance(value, BaseException):
                future.set_exception(value)
            else:
                future.set_result(value)


async def load_at_once(loader: DataLoader[K, T], keys: Sequence[K]) -> list[T]:
    """The values of ``keys`` for a caller that has them all at once: loaded now in one
    call when ``loader`` is a :class:`SharedLoader` (:meth:`SharedLoader.load_now`), else
    through the loader's batch."""
    if isinstance(loader, SharedLoader):
        return await loader.load_now(keys)
    return await loader.load_many(keys)


class SharedResult(Generic[T]):
    """A result computed once, when first asked for, shared by every caller.

    The first :meth:`get` starts ``compute``; the others wait for the same run. A caller
    that is cancelled stops the run only if no other caller waits for it; a later ``get``
    after such a cancellation starts a new run."""

    __slots__ = ("_compute", "_shared")

    def __init__(self, compute: Callable[[], Awaitable[T]]) -> None:
        self._compute = compute
        self._shared: SharedFuture[T] | None = None

    def get(self) -> Awaitable[T]:
        """The result (to await): the one run's, started now if there is none."""
        shared = self._shared
        if shared is None or shared.cancelled():
            shared = self._shared = SharedFuture(loop=asyncio.get_running_loop())
            run = asyncio.ensure_future(self._compute())
            run.add_done_callback(lambda done: _copy(done, shared))
            shared.add_done_callback(lambda done: run.cancel() if done.cancelled() else None)
        return shared.take()


def _copy(run: asyncio.Future[T], shared: SharedFuture[T]) -> None:
    """The state of a finished ``run`` onto ``shared`` (unless it was cancelled first)."""
    if shared.done():
        return
    if run.cancelled():
        shared.end()  # not a caller's cancellation: every caller's end
    elif (error := run.exception()) is not None:
        shared.set_exception(error)
    else:
        shared.set_result(run.result())
