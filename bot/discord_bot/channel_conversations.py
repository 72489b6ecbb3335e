"""One :class:`Conversation` per bot thread (or DM), so follow-ups know what "he" refers to.

Turns live in memory; the first time a channel is used after a restart (or after it was evicted),
the bot rebuilds its turns from the answers the feedback store kept for it. A lock per
conversation makes follow-ups in one thread wait for each other, because the service adds the new
turn from a worker thread and two at once would interleave.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict

from bot.conversation import Conversation

MAX_CONVERSATIONS = 1000


class ConversationRegistry:
    """The most recently used conversations, keyed by channel (thread or DM) id."""

    def __init__(self, max_size: int = MAX_CONVERSATIONS) -> None:
        self.max_size = max_size
        self._items: OrderedDict[int, tuple[Conversation, asyncio.Lock]] = OrderedDict()
        self._restored: set[int] = set()

    def get(self, channel_id: int) -> tuple[Conversation, asyncio.Lock]:
        """The conversation of a channel and its lock, created on first use."""
        item = self._items.get(channel_id)
        if item is None:
            item = (Conversation(), asyncio.Lock())
            self._items[channel_id] = item
            while len(self._items) > self.max_size:
                evicted, _ = self._items.popitem(last=False)
                self._restored.discard(evicted)
        self._items.move_to_end(channel_id)
        return item

    def needs_history(self, channel_id: int) -> bool:
        """True until :meth:`mark_restored` for this channel: its stored turns are not loaded yet."""
        return channel_id not in self._restored

    def mark_restored(self, channel_id: int) -> None:
        self._restored.add(channel_id)

    def forget(self, channel_id: int) -> None:
        self._items.pop(channel_id, None)
        self._restored.discard(channel_id)

    def __contains__(self, channel_id: object) -> bool:
        return channel_id in self._items

    def __len__(self) -> int:
        return len(self._items)
