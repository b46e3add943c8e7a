"""The channel-neutral message model, as handlers use it: the types live in `store/messages.py` (a leaf
that the store's outbox, the handlers and the adapters all import; see there)."""

from store.messages import Attachment, Button, Channel, Delivery, EventKind, Inbound, Outbound

__all__ = ["Attachment", "Button", "Channel", "Delivery", "EventKind", "Inbound", "Outbound"]
