"""The aiohttp application: `create_app(settings)` builds it; resources open and close in `cleanup_ctx`."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlmodel import func, select

from bot.channels import install_channels
from bot.charts import ThaiFontMissing, chart_renderer, thai_font
from bot.dashboard import setup_dashboard
from bot.keys import DISPATCHER, ENGINE, METRICS, SERVICES, SETTINGS
from bot.metrics import Metrics
from bot.purge import install_purge
from bot.reminders import install_reminders
from bot.settings import Settings
from handlers import build_router
from handlers.dispatch import Dispatcher
from handlers.hospital import hospital_for
from handlers.services import Clock, Services
from store.db import make_engine, make_session_factory, ping, upgrade
from store.models import InboundEvent, OutboundMessage
from store.types import utcnow
from store.units import sync_units

log = logging.getLogger(__name__)

def create_app(
    settings: Settings, *, clock: Clock = utcnow, upgrade_db: bool = False, telegram_polling: bool = False,
    workers: bool = True, webhooks: bool = True,
) -> web.Application:
    """The whole service for one settings object; nothing connects until the app starts. `webhooks`: the platforms'
    webhooks come to this process (`serve --role all|web`, not `worker`), so their ack is made ready at start."""
    app = web.Application(client_max_size=settings.max_body_bytes)
    app[SETTINGS] = settings
    app[METRICS] = Metrics()
    # Hospital data files are validated here, at start: a broken edit stops the service with a clear error.
    hospital = hospital_for(settings)  # catalogue, units, survey, topics, policy, indicator, emergency, faq
    try:
        thai_font()  # registers the shipped Thai font with matplotlib now, before the first chart
    except ThaiFontMissing as exc:
        log.error("charts will not be drawn: %s", exc)  # the rest of the service works without them

    async def database(app: web.Application) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url, echo=settings.database_echo)
        if upgrade_db:
            await upgrade(engine)
        app[ENGINE] = engine
        services = Services(settings=settings, sessions=make_session_factory(engine), hospital=hospital, clock=clock,
                            charts=chart_renderer())
        async with services.sessions() as session:
            await sync_units(session, units=list(hospital.units))
            await session.commit()
        app[SERVICES] = services
        app[DISPATCHER] = Dispatcher(build_router(), services)
        settings.log_channel_status()
        yield
        await engine.dispose()

    app.cleanup_ctx.append(database)
    # LINE/Telegram webhooks, SDK clients and the inbox/outbox workers (after the database is up).
    install_channels(app, settings, workers=workers, webhooks=webhooks, telegram_polling=telegram_polling)
    install_reminders(app, settings, hospital.policy, enabled=workers)  # deadline reminders and escalation sweeper
    install_purge(app, settings, enabled=workers)  # nightly PDPA retention purge
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
    setup_dashboard(app)  # committee dashboard, sign-in links, served chart images
    return app


async def healthz(request: web.Request) -> web.Response:
    ok = await ping(request.app[ENGINE])
    request.app[METRICS].up.set(1 if ok else 0)
    return web.json_response({"status": "ok" if ok else "database unavailable"}, status=200 if ok else 503)


async def metrics(request: web.Request) -> web.Response:
    app = request.app
    m = app[METRICS]
    try:
        async with app[SERVICES].sessions() as session:
            for name, model in (("inbox", InboundEvent), ("outbox", OutboundMessage)):
                waiting = model.status.in_(("pending", "processing", "sending"))  # type: ignore[attr-defined]
                count = (await session.exec(select(func.count()).select_from(model).where(waiting))).one()
                m.backlog.labels(name).set(count)
        m.up.set(1)
    except Exception:
        log.warning("metrics: database unavailable")
        m.up.set(0)
    body = generate_latest(m.registry)
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})
