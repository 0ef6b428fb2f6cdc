"""One frozen settings object, read from the environment and overridable from the CLI."""

from __future__ import annotations

import dataclasses
import ipaddress
import os
import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from gqlnews.db import POSTGRES_SCHEMES
from gqlnews.text import is_language_tag
from gqlnews.urls import PLACEHOLDERS, TemplateError, check_site_url, check_template

DEFAULT_DATABASE_URL = "sqlite://gqlnews.sqlite3"
DATABASE_SCHEMES = ("sqlite://", *POSTGRES_SCHEMES)
DOCUMENT_POLICIES = ("any", "registered")
"""Values of :attr:`Settings.documents`."""
MAX_SITEMAP_URLS = 50_000
"""The sitemaps.org protocol's most URLs in one file."""

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class SettingsError(ValueError):
    """A setting has a value that cannot be used; the message names the variable."""


@dataclass(frozen=True, slots=True)
class PluginSetting:
    """An environment variable a plugin reads (its own knobs are not core :class:`Settings`),
    so that ``gqlnews settings`` and the operations guide list it with the core's.

    ``name`` is the whole variable (``GQLNEWS_<PLUGIN>_<KNOB>``), ``default`` its value when
    unset, as text (empty: none), ``meaning`` one sentence or two on what it does.
    """

    name: str
    default: str
    meaning: str

    def __post_init__(self) -> None:
        if not self.name.startswith("GQLNEWS_") or not self.name.replace("_", "").isalnum():
            raise ValueError(f"a plugin setting is a GQLNEWS_* variable name, not {self.name!r}")


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the server can be told; each field maps to a ``GQLNEWS_<NAME>`` variable."""

    database_url: str = DEFAULT_DATABASE_URL
    """Tortoise database URL: ``sqlite://path`` (embedded default) or ``postgres://…``
    (``postgresql://…`` too)."""
    debug: bool = False
    """Show error details and tracebacks in responses. Never on in production."""
    max_depth: int = 12
    """Deepest selection a query may have; deeper queries are rejected before they run."""
    max_aliases: int = 30
    """Most aliases a query may use."""
    max_tokens: int = 5000
    """Most tokens a query document may have."""
    default_page_size: int = 20
    """Items in a connection page when neither ``first`` nor ``last`` is given."""
    max_page_size: int = 100
    """Largest ``first``/``last``/``perPage``; larger values are an error, never truncated."""
    count_cap: int = 10_000
    """Most items a list's ``totalCount`` counts: a longer list answers this number with
    ``totalCountIsExact: false``, so that a count never reads more than this many rows."""
    site_language: str = "fr"
    """The site's language (a language tag: ``fr``, ``ar``, ``ar-MA``): what a section,
    author, tag, edition, supplement or image without a language of its own is in, and the
    language of a new article or imported item that does not say, and the language of the
    site's feeds (each article and the news sitemap give the article's own)."""
    graphiql: bool = False
    """Serve GraphiQL to browsers on ``/graphql`` (its files come from the package, under
    ``/static/graphiql/``). Off unless turned on: ``make demo`` turns it on."""
    redis_url: str = ""
    """Redis shared by the server processes (``redis://host:6379/0``); empty means none."""
    log_level: str = "INFO"
    """Lowest level logged: DEBUG (also prints SQL), INFO, WARNING, ERROR."""
    log_format: str = "auto"
    """``json``, ``text``, or ``auto``: JSON lines unless stderr is a terminal."""
    log_hooks: bool = False
    """Log every plugin hook call (INFO, logger ``gqlnews.plugins``) with its duration, and
    for async hooks the time spent awaiting each implementation."""
    default_related_strategy: str = ""
    """Strategy ``Article.related`` uses when none is asked for (default: the first offered)."""
    plugins_dir: str = ""
    """A folder of one-off ``.py`` plugins to load besides the installed ones."""
    disabled_plugins: str = ""
    """Comma-separated names of plugins to leave out, built-in ones included."""
    allow_pending_migrations: bool = False
    """Serve even when the database is behind the code's migrations (not recommended)."""
    host: str = "127.0.0.1"
    """Address ``gqlnews serve`` listens on."""
    port: int = 8000
    """Port ``gqlnews serve`` listens on."""
    session_ttl_hours: int = 12
    """Hours a session token from ``signIn`` stays valid (API tokens have their own expiry)."""
    max_body_bytes: int = 1_000_000
    """Largest article body (HTML, in bytes) a mutation accepts; larger ones are refused with
    TOO_LARGE."""
    scheduler_interval: int = 2
    """Seconds between the scheduler's rounds (due scheduled articles, lifting embargoes);
    0 turns the scheduler off in this process."""
    event_relay_interval: int = 5
    """Seconds between the event relay's rounds: it announces again the outbox events whose
    announce failed or never happened (see docs/operations.md, "Events"); 0 turns the relay
    off in this process."""
    event_relay_grace: int = 10
    """Age in seconds an unannounced event must reach before the relay announces it (the
    write that made it announces it right after its commit)."""
    event_retention_days: int = 7
    """Days an announced outbox event is kept (webhooks and subscriptions read events by id
    to catch up); the relay deletes older ones. 0 keeps them forever."""
    documents: str = "any"
    """Which GraphQL documents anonymous clients may run: ``any`` (also registers Apollo
    automatic persisted queries in each process's memory) or ``registered`` (only documents
    added with ``gqlnews documents add``; staff with a Bearer token may still send any)."""
    plans: bool = True
    """Run queries as plans, without graphql-core's per-field execution (same answers; see
    docs/plans.md): those of persisted documents (``documentId``, APQ hashes), and those sent
    as text unless ``plans_for_text`` is off; false executes every document."""
    plans_for_text: bool = True
    """Also run queries sent as text (not persisted) as plans, when ``plans`` is on: the
    same answers at the planned cost, each new text's shape worked out on its first request
    (even then cheaper than executing it); false keeps plans for persisted documents."""
    http_max_age: int = 0
    """Seconds a browser may reuse an anonymous GET answer without asking again
    (``Cache-Control: max-age``); 0: it revalidates each time with its ETag (a 304 when
    nothing changed). Browsers cannot be purged: keep it short."""
    http_s_maxage: int = 10
    """Seconds a shared cache (CDN, Varnish) may serve an anonymous GET answer
    (``Cache-Control: s-maxage``): also how long an unpublished article may still be served
    from it, unless a plugin purges it (``gqlnews_cache_purged``). See docs/http-caching.md."""
    cache: bool = True
    """Keep anonymous answers in the response cache (in-process, and in Redis when
    ``GQLNEWS_REDIS_URL`` is set), purged when what they show changes. See docs/caching.md."""
    cache_max_bytes: int = 64 * 1024 * 1024
    """Bytes of answers each process keeps in memory (least recently used out first)."""
    cache_ttl: int = 300
    """Seconds an answer is kept at most; purges and the next scheduled publication or
    embargo lifting end it sooner."""
    cache_degraded_ttl: int = 5
    """Seconds an answer is kept while Redis is configured but unreachable (purges from other
    processes cannot arrive then)."""
    max_cost: int = 5000
    """Highest static cost an anonymous query may have (see docs/api.md, "Query cost");
    costlier queries are refused before they run (QUERY_TOO_COSTLY), with their cost and this
    maximum. The demo's front page costs 703, a page of 100 teasers about 2,400."""
    max_cost_staff: int = 50000
    """Highest static cost a query may have when sent with a staff Bearer token (ten times
    the anonymous default: back-office lists of 100 articles with their revisions)."""
    request_timeout_ms: int = 5000
    """Milliseconds a GraphQL request may execute; then its work (and its running SQL
    statement on PostgreSQL) is cancelled and it is answered with a TIMEOUT error."""
    max_concurrent_requests: int = 0
    """GraphQL HTTP requests one worker process executes at once (cached answers do not
    count); more wait their turn, first come first served, up to ``request_timeout_ms``
    (then 503 ``SERVICE_UNAVAILABLE``, retryable, without running); a request's deadline starts
    with its turn. 0 turns the limit off."""
    gc_threshold: int = 10000
    """New container objects between two young collections of Python's garbage collector
    while the app runs (Python's own is 700); what startup made is frozen out of the
    collections. On the 10k archive's front page, collecting fell from 0.6 to 0.05 ms per
    planned request and from 2 to 0.1 ms per executed one, for 1–8 MB more per process
    (bench/gc-results.md). 0 leaves the collector as Python sets it."""
    rate_limit_per_minute: int = 600
    """GraphQL requests a client IP may send per minute (a token bucket that holds as many);
    more are answered 429 with Retry-After. 0 turns the limit off."""
    token_rate_limit_per_minute: int = 3000
    """GraphQL requests a Bearer token may send per minute (instead of its IP's limit);
    0 turns the limit off."""
    sign_in_limit_per_hour: int = 10
    """Sign-in attempts per hour for one account (each alias counts); 0 turns it off."""
    sign_in_ip_limit_per_hour: int = 50
    """Sign-in attempts per hour from one client IP (each alias counts); 0 turns it off."""
    cors_origins: str = ""
    """Comma-separated origins (``https://www.example.com``) whose pages may call the API from
    a browser (CORS); ``*`` allows any; empty: none, no CORS headers are sent. ``make demo``
    allows the example site's origins."""
    cors_methods: str = "GET,POST"
    """Comma-separated HTTP methods allowed to those origins."""
    cors_headers: str = "Authorization,Content-Type,Gqlnews-Preview-Token"
    """Comma-separated request headers those origins may send (a preflight asks for them):
    by default JSON bodies, Bearer tokens and draft preview tokens."""
    cors_credentials: bool = False
    """Allow cross-origin requests with cookies (``Access-Control-Allow-Credentials``); gqlnews
    signs in with Bearer tokens, which need none. Not with ``*`` as the origins."""
    trusted_proxies: str = ""
    """Comma-separated addresses or networks (CIDR) of reverse proxies whose
    ``X-Forwarded-For`` names the client; empty: the client is the connection's peer."""
    preview_ttl_seconds: int = 86_400
    """Seconds a draft preview link works when ``articleCreatePreviewLink`` is given no
    ``expiresIn`` (a day). See docs/previews.md."""
    preview_max_ttl_seconds: int = 7 * 86_400
    """Longest life, in seconds, a draft preview link may be given (a week); a longer
    ``expiresIn`` is refused with BAD_USER_INPUT."""
    preview_url_template: str = ""
    """The front end's preview page as an absolute http(s) URL with ``{token}`` (and, if it
    wants them, ``{id}``, the article's global ID, and ``{slug}``), e.g.
    ``https://www.example.org/preview/{slug}?token={token}``; each preview link's ``url`` is
    made from it. Empty: links have no ``url``, only their ``token``."""
    site_url: str = ""
    """The public site's base URL (``https://www.example.com``), the ``{site}`` of the URL
    templates; empty: ``url`` fields are paths from the site's root, and feeds and sitemaps
    use the origin they were requested on. See docs/feeds.md."""
    site_name: str = "gqlnews"
    """The publication's name: feed titles and the Google News sitemap's
    ``news:publication``."""
    article_url_template: str = "{site}/{section}/{slug}"
    """An article's public URL: ``{site}``, ``{section}`` (the primary section's path,
    ``monde/afrique``), ``{slug}``, ``{id}``, ``{year}``, ``{month}``, ``{day}``."""
    section_url_template: str = "{site}/{section}"
    """A section front's public URL: ``{site}``, ``{section}`` (its path), ``{slug}``,
    ``{id}``."""
    author_url_template: str = "{site}/authors/{slug}"
    """An author page's public URL: ``{site}``, ``{slug}``, ``{id}``."""
    tag_url_template: str = "{site}/tags/{slug}"
    """A tag page's public URL: ``{site}``, ``{slug}``, ``{id}``."""
    feed_full_content: bool = False
    """Put each article's whole HTML body in the feeds (RSS ``content:encoded``, Atom
    ``content``, JSON Feed ``content_html``); off: the excerpt only."""
    feed_max_age: int = 300
    """Seconds clients and shared caches may reuse a feed or sitemap
    (``Cache-Control: public, max-age``); 0: ``no-cache`` (they revalidate each time, a 304
    when nothing changed)."""
    sitemap_max_urls: int = 50000
    """Most URLs in one sitemap file (the protocol's limit, 50,000, at most): a month with
    more published articles is split into several files (fewer per file when very long URLs
    could take a file past the protocol's 50 MB)."""
    subscriptions_max_connections: int = 5000
    """WebSocket connections (GraphQL subscriptions) one server process accepts at once; one
    more is accepted and closed at once with code 1013 (try again later). 0 refuses every
    WebSocket. See docs/subscriptions.md."""
    subscriptions_per_connection: int = 10
    """Operations (subscriptions) one WebSocket connection may run at once; one more is
    answered with an ``error`` message ("Subscription limit reached")."""
    subscriptions_queue: int = 100
    """Events waiting for one subscription that has not sent the previous ones yet (a slow
    client); one more closes its connection with code 1008, rather than buffering without
    bound."""
    subscriptions_poll_seconds: int = 5
    """Seconds between two reads of the event outbox when nothing woke the process's feed
    (no Redis message, no event of its own): the safety net that delivers events whose
    announcement was lost."""
    subscriptions_ping_seconds: int = 20
    """Seconds between the server's WebSocket pings to each client (``gqlnews serve``); a
    client that does not answer within as many seconds is disconnected (1011). 0: no pings."""

    webhook_interval: int = 2
    """Seconds between the webhook dispatcher's rounds in each server process (sooner when
    the process publishes or a retry falls due); 0 turns the dispatcher off in this process.
    See docs/webhooks.md."""
    webhook_timeout_ms: int = 10_000
    """Milliseconds one webhook attempt may take, all of it (resolving, connecting, sending,
    the answer); then it counts as failed and is retried."""
    webhook_retry_base_ms: int = 60_000
    """Milliseconds before the second attempt of a failed webhook delivery; each further wait
    doubles (at most 6 hours), minus a random part of up to half (jitter)."""
    webhook_retry_hours: int = 24
    """Hours after its event a webhook delivery is retried; then it is given up (failed)."""
    webhook_disable_after_hours: int = 24
    """Hours of nothing but failed attempts after which a webhook endpoint is disabled
    (logged, and counted in ``/metrics``); ``gqlnews webhooks enable`` turns it back on."""
    webhook_concurrency: int = 8
    """Most webhook attempts one server process has in flight at once."""
    webhook_allow_private: bool = False
    """Allow webhook endpoints on loopback, private, link-local (cloud metadata) and other
    non-global addresses: for tests and intranets only. Off: such endpoints are refused when
    registered and again, resolved afresh, before each attempt."""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from ``GQLNEWS_*`` variables, then apply non-None ``overrides`` (the
        command line's options: an error about one names the option, e.g. ``--database-url``)."""
        source = os.environ if env is None else env
        values: dict[str, Any] = {}
        for field in dataclasses.fields(cls):
            raw = source.get(f"GQLNEWS_{field.name.upper()}")
            if raw is not None:
                values[field.name] = _parse(field.name, field.type, raw)
        given = {k: v for k, v in overrides.items() if v is not None}
        values.update(given)
        settings = cls(**values)
        settings.validate({name: option_name(name) for name in given})
        return settings

    @property
    def disabled_plugins_list(self) -> list[str]:
        """``disabled_plugins`` as a list of names."""
        return _items(self.disabled_plugins)

    @property
    def cors_origins_list(self) -> list[str]:
        """``cors_origins`` as a list (empty: CORS is off)."""
        return _items(self.cors_origins)

    @property
    def cors_methods_list(self) -> list[str]:
        """``cors_methods`` as a list of upper-case methods."""
        return [method.upper() for method in _items(self.cors_methods)]

    @property
    def cors_headers_list(self) -> list[str]:
        """``cors_headers`` as a list of header names."""
        return _items(self.cors_headers)

    def to_env(self) -> dict[str, str]:
        """The ``GQLNEWS_*`` variables that rebuild these settings (for worker processes)."""
        env: dict[str, str] = {}
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            text = ("true" if value else "false") if isinstance(value, bool) else str(value)
            env[f"GQLNEWS_{field.name.upper()}"] = text
        return env

    def validate(self, sources: Mapping[str, str] | None = None) -> None:
        """Raise :class:`SettingsError` when a value is out of range; the message names the
        setting as ``sources`` says it was given (default: its ``GQLNEWS_*`` variable)."""

        def named(field: str) -> str:
            return (sources or {}).get(field) or f"GQLNEWS_{field.upper()}"

        for name in (
            "max_depth",
            "max_aliases",
            "max_tokens",
            "max_page_size",
            "count_cap",
            "session_ttl_hours",
            "max_body_bytes",
            "cache_ttl",
            "max_cost",
            "max_cost_staff",
            "request_timeout_ms",
            "preview_ttl_seconds",
            "preview_max_ttl_seconds",
            "webhook_timeout_ms",
            "webhook_retry_base_ms",
            "webhook_retry_hours",
            "webhook_disable_after_hours",
            "webhook_concurrency",
            "subscriptions_per_connection",
            "subscriptions_queue",
            "subscriptions_poll_seconds",
        ):
            if getattr(self, name) < 1:
                raise SettingsError(f"{named(name)} must be at least 1")
        for name in (
            "http_max_age",
            "http_s_maxage",
            "cache_degraded_ttl",
            "subscriptions_ping_seconds",
        ):
            if getattr(self, name) < 0:
                raise SettingsError(f"{named(name)} must be 0 or more seconds")
        if self.max_concurrent_requests < 0:
            raise SettingsError(f"{named('max_concurrent_requests')} must be 0 or more")
        if self.gc_threshold < 0:
            raise SettingsError(f"{named('gc_threshold')} must be 0 (Python's own) or more")
        if self.subscriptions_max_connections < 0:
            raise SettingsError(f"{named('subscriptions_max_connections')} must be 0 or more")
        for name in (
            "rate_limit_per_minute",
            "token_rate_limit_per_minute",
            "sign_in_limit_per_hour",
            "sign_in_ip_limit_per_hour",
        ):
            if getattr(self, name) < 0:
                raise SettingsError(f"{named(name)} must be 0 (off) or more")
        if self.cache_max_bytes < 0:
            raise SettingsError(f"{named('cache_max_bytes')} must be 0 or more bytes")
        for name in ("event_relay_interval", "event_relay_grace", "event_retention_days"):
            if getattr(self, name) < 0:
                raise SettingsError(f"{named(name)} must be 0 or more")
        for name in ("scheduler_interval", "webhook_interval"):
            if getattr(self, name) < 0:
                raise SettingsError(f"{named(name)} must be 0 (off) or more seconds")
        if not 1 <= self.default_page_size <= self.max_page_size:
            raise SettingsError(
                f"{named('default_page_size')} must be between 1 and "
                f"{named('max_page_size')} ({self.max_page_size})"
            )
        if not is_language_tag(self.site_language):
            raise SettingsError(
                f"{named('site_language')} must be a language tag such as fr, ar or ar-MA, "
                f"got {self.site_language!r}"
            )
        if self.log_level.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise SettingsError(f"{named('log_level')} must be DEBUG, INFO, WARNING or ERROR")
        if self.documents not in DOCUMENT_POLICIES:
            raise SettingsError(f"{named('documents')} must be any or registered")
        if self.log_format not in ("auto", "json", "text"):
            raise SettingsError(f"{named('log_format')} must be auto, json or text")
        if self.redis_url and not self.redis_url.startswith(("redis://", "rediss://", "unix://")):
            raise SettingsError(
                f"{named('redis_url')} must start with redis://, rediss:// or unix://, "
                f"got {self.redis_url!r}"
            )
        for entry in _items(self.trusted_proxies):
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise SettingsError(
                    f"{named('trusted_proxies')} must be comma-separated IP addresses or "
                    f"networks (CIDR, e.g. 10.0.0.0/8), got {entry!r}"
                ) from None
        if self.preview_ttl_seconds > self.preview_max_ttl_seconds:
            raise SettingsError(
                f"{named('preview_ttl_seconds')} must be at most "
                f"{named('preview_max_ttl_seconds')} ({self.preview_max_ttl_seconds})"
            )
        problem = preview_template_problem(self.preview_url_template)
        if problem is not None:
            raise SettingsError(f"{named('preview_url_template')} {problem}")
        self._validate_urls(named)
        if not 1 <= self.sitemap_max_urls <= MAX_SITEMAP_URLS:
            raise SettingsError(
                f"{named('sitemap_max_urls')} must be between 1 and {MAX_SITEMAP_URLS}"
            )
        if self.feed_max_age < 0:
            raise SettingsError(f"{named('feed_max_age')} must be 0 or more seconds")
        if not self.site_name.strip():
            raise SettingsError(f"{named('site_name')} must not be empty")
        self._validate_cors(named)
        if not self.database_url.startswith(DATABASE_SCHEMES):
            raise SettingsError(
                f"{named('database_url')} must start with sqlite:// or postgres:// "
                f"(or postgresql://), got {self.database_url!r}"
            )

    def _validate_urls(self, named: Callable[[str], str]) -> None:
        """The site URL and the URL templates (see :mod:`gqlnews.urls`)."""
        try:
            check_site_url(self.site_url)
        except TemplateError as exc:
            raise SettingsError(f"{named('site_url')} {exc}") from None
        for kind in PLACEHOLDERS:
            field = f"{kind}_url_template"
            try:
                check_template(kind, getattr(self, field))
            except TemplateError as exc:
                raise SettingsError(f"{named(field)} {exc}") from None

    def _validate_cors(self, named: Callable[[str], str]) -> None:
        for origin in self.cors_origins_list:
            if origin != "*" and not _ORIGIN.fullmatch(origin):
                raise SettingsError(
                    f"{named('cors_origins')} must be comma-separated origins such as "
                    f"https://www.example.com (scheme, host and port only, no path) or *, "
                    f"got {origin!r}"
                )
        if self.cors_credentials and "*" in self.cors_origins_list:
            raise SettingsError(
                f"{named('cors_credentials')} needs {named('cors_origins')} to list the origins "
                "(not *): a page of any site could otherwise send requests with cookies"
            )
        for method in self.cors_methods_list:
            if method not in _CORS_METHODS:
                raise SettingsError(
                    f"{named('cors_methods')} must be comma-separated methods among "
                    f"{', '.join(sorted(_CORS_METHODS))}, got {method!r}"
                )
        for header in self.cors_headers_list:
            if not _TOKEN.fullmatch(header):
                raise SettingsError(
                    f"{named('cors_headers')} must be comma-separated header names, got {header!r}"
                )


PREVIEW_URL_FIELDS = frozenset({"token", "id", "slug"})
"""The placeholders a preview URL template may use."""


def preview_template_problem(template: str) -> str | None:
    """What is wrong with a preview URL template (None when it is empty or fine): it must be
    an absolute http(s) URL with ``{token}``, and no placeholder but ``{token}``, ``{id}``
    and ``{slug}``."""
    if not template:
        return None
    if not template.startswith(("http://", "https://")):
        return f"must be an absolute http:// or https:// URL, got {template!r}"
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as exc:
        return f"is not a valid template ({exc}): {template!r}"
    unknown = sorted(names - PREVIEW_URL_FIELDS)
    if unknown:
        return f"may use only {{token}}, {{id}} and {{slug}}, not {{{unknown[0]}}}"
    if "token" not in names:
        return f"must contain {{token}}, got {template!r}"
    return None


_ORIGIN = re.compile(
    r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?|https?://\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?"
)
_CORS_METHODS = frozenset({"GET", "POST", "OPTIONS"})
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


def _items(text: str) -> list[str]:
    """The non-empty, stripped entries of a comma-separated setting."""
    return [item.strip() for item in text.split(",") if item.strip()]


def option_name(field: str) -> str:
    """The command-line option that overrides setting ``field`` (``--database-url``)."""
    return "--" + field.replace("_", "-")


def _parse(name: str, kind: Any, raw: str) -> Any:
    env_name = f"GQLNEWS_{name.upper()}"
    if kind in (bool, "bool"):
        lowered = raw.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise SettingsError(f"{env_name} must be true or false, got {raw!r}")
    if kind in (int, "int"):
        try:
            return int(raw)
        except ValueError:
            raise SettingsError(f"{env_name} must be a whole number, got {raw!r}") from None
    return raw
