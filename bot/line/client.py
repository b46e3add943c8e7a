"""The LINE SDK clients, built inside the running event loop (aiohttp 3.14 refuses a ClientSession made
at import time) and closed on shutdown."""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import AsyncIterator
from types import TracebackType
from typing import Any
from urllib.parse import quote

import aiohttp
from linebot.v3.messaging import (
    AsyncApiClient,
    AsyncMessagingApi,
    AsyncMessagingApiBlob,
    Configuration,
    ShowLoadingAnimationRequest,
)

from bot.http1 import Http1Client
from bot.media import Download
from bot.settings import Settings

log = logging.getLogger(__name__)


class ContentUnavailable(Exception):
    """The data API did not serve the content (expired, deleted, or an error)."""

CONTENT_TIMEOUT = 120  # seconds for a whole content download (the size cap bounds it too)
CHUNK = 64 * 1024
LOADING_SECONDS = 20  # LINE accepts 5…60 in steps of 5; the reply ends the animation earlier


def _without_env(client: AsyncApiClient) -> aiohttp.ClientSession:
    """Give the SDK's REST client a session with `trust_env=False` on the SDK's own connector (pool size, TLS
    context); returns the SDK's session, which owns that connector and is closed last. The SDK hard-codes
    `trust_env=True`, which makes aiohttp read `~/.netrc` in an executor thread and look up the proxy variables
    on every request; the service takes no proxy or netrc credentials from its environment."""
    rest = client.rest_client
    sdk_session: aiohttp.ClientSession = rest.pool_manager
    rest.pool_manager = aiohttp.ClientSession(connector=sdk_session.connector, connector_owner=False, trust_env=False)
    return sdk_session


class LineClient:
    """`api` talks to LINE_API_BASE_URL; `blob` (content downloads, rich menu images) to LINE_DATA_API_BASE_URL."""

    def __init__(self, settings: Settings, *, timeout: float = 10.0) -> None:
        token = settings.line_channel_access_token.get_secret_value()
        # The SDK uses Configuration.host for every call when it is set, so each host needs its own client.
        self._api_client = AsyncApiClient(Configuration(host=settings.line_api_base_url, access_token=token))
        self._data_client = AsyncApiClient(Configuration(host=settings.line_data_api_base_url, access_token=token))
        self._sdk_sessions = [_without_env(self._api_client), _without_env(self._data_client)]
        self._token = token
        # The message calls on bot/http1.py's kept-alive connections (aiohttp's client cost more CPU per call than
        # everything else of a LINE send); the SDK's other calls (loading animation, content, rich menus) stay on it.
        self._http = Http1Client(settings.line_api_base_url, headers=[
            ("Authorization", f"Bearer {token}"), ("User-Agent", self._api_client.user_agent)])
        self.api = AsyncMessagingApi(self._api_client)
        self.blob = AsyncMessagingApiBlob(self._data_client)
        self.timeout = timeout

    async def send(self, path: str, body: dict[str, Any], messages: list[str], *,
                   retry_key: str | None = None) -> tuple[int, str, str]:
        """POST a message call (`/v2/bot/message/reply` or `/push`): `body`'s fields and `messages`, built and
        validated as the SDK's models and encoded once per distinct message (bot.line.adapter.wire_text): the SDK's
        `reply_message` / `push_message` validate the whole request again on every call (`validate_arguments`,
        twice) and read the answer back into models, about a third of a LINE send's CPU (bench/README.md). Same
        host, token and headers as the SDK's call, on a kept-alive connection of bot/http1.py. Returns (status,
        Retry-After header, body text); aiohttp's errors (bot/http1.py raises them) and timeouts are the caller's."""
        extra = [("X-Line-Retry-Key", retry_key)] if retry_key is not None else []
        data = f'{json.dumps(body, ensure_ascii=False)[:-1]}, "messages": [{", ".join(messages)}]}}'.encode()
        status, headers, answer = await self._http.post(path, data, headers=extra, within=self.timeout)
        return status, headers.get("retry-after", ""), answer.decode("utf-8", "replace")

    async def close(self) -> None:
        await self._http.close()
        await self._api_client.close()
        await self._data_client.close()
        for session in self._sdk_sessions:  # they own the connectors the clients' sessions borrowed
            await session.close()

    async def __aenter__(self) -> LineClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    @contextlib.asynccontextmanager
    async def content(self, message_id: str) -> AsyncIterator[Download]:
        """An image, video, audio or file a user sent, as it arrives. The SDK's `get_message_content` reads the
        whole body into memory (and its `_preload_content=False` fails on the async client), so the request
        goes through the SDK's own HTTP client, unread, and is streamed."""
        url = f"{self._data_client.configuration.host}/v2/bot/message/{quote(message_id, safe='')}/content"
        headers = {"Authorization": f"Bearer {self._token}"}
        response = await self._data_client.rest_client.get_request(
            url, headers=headers, _preload_content=False, _request_timeout=CONTENT_TIMEOUT)
        try:
            if response.status != 200:
                raise ContentUnavailable(f"LINE content: HTTP {response.status}")
            yield Download(response.content_length, response.content.iter_chunked(CHUNK))
        except BaseException:
            response.close()  # stopped mid-body (over the cap): drop the connection rather than drain it
            raise
        response.release()

    async def show_loading(self, user_id: str) -> None:
        """The "typing" animation in a 1:1 chat; best effort (a failure only loses the animation)."""
        try:
            await self.api.show_loading_animation(
                ShowLoadingAnimationRequest(chatId=user_id, loadingSeconds=LOADING_SECONDS),
                _request_timeout=self.timeout,
            )
        except Exception as exc:
            log.info("LINE loading animation not shown: %s", type(exc).__name__)
