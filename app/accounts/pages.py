"""Sign-in, registration, sign-out and the password change form (the account page is the read side's)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.accounts import service, sessions
from app.accounts.dependencies import CurrentVisitor, PageUser, session_policy
from app.accounts.models import User
from app.accounts.schemas import LoginForm, PasswordChangeForm, RegisterForm
from app.config import Settings
from app.db import DbSession, side_transactions
from app.errors import DomainError, RateLimited
from app.web import csrf
from app.web.cookies import delete_cookie, set_cookie
from app.web.flash import flash
from app.web.forms import FORM_ERROR, PostedForm, domain_field_errors, parse_form
from app.web.i18n import N_, _
from app.web.login_redirect import safe_next_path
from app.web.ratelimit import Limit, client_ip, enforce, limiter
from app.web.templating import render

log = logging.getLogger("paper_atlas.accounts")
router = APIRouter(include_in_schema=False)
WRONG_CREDENTIALS = N_("Wrong username or password.")


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _loggable_name(username: str) -> str:
    # What was typed in the username box may be a password pasted there by mistake; log only plausible names.
    return username if service.USERNAME_PATTERN.fullmatch(username) else "<not a username>"


def _sign_in(
    request: Request, session: DbSession, visitor: CurrentVisitor, user: User, target: str
) -> Response:
    """A fresh session id and CSRF secret for this sign-in (never the pre-login ones), then go on."""
    settings = _settings(request)
    policy = session_policy(settings)
    if visitor.session is not None:
        session.delete(visitor.session)
    sessions.purge_expired_sessions(session, policy)
    plain = sessions.start_session(
        session,
        user,
        policy,
        csrf_secret=csrf.new_session_secret(),
        user_agent=request.headers.get("user-agent"),
    )
    response = RedirectResponse(target, status_code=303)
    set_cookie(
        response, request, sessions.SESSION_COOKIE, plain, max_age=int(policy.absolute.total_seconds())
    )
    return response


def _login_page(
    request: Request, values: dict[str, Any], errors: dict[str, str], *, status_code: int = 200
) -> HTMLResponse:
    values = {**values, "password": None}
    return render(
        request,
        "accounts/login.html",
        {
            "values": values,
            "errors": errors,
            "registration_open": _settings(request).registration_open,
        },
        status_code=status_code,
    )


@router.get("/login", response_class=HTMLResponse, name="login")
def login_form(request: Request, visitor: CurrentVisitor, next: str | None = None) -> Response:
    target = safe_next_path(next, default="/account")
    if visitor.user is not None and visitor.via == "session":
        return RedirectResponse(target, status_code=303)
    return _login_page(request, {"next": target}, {})


@router.post("/login", response_class=HTMLResponse, name="login_submit")
def login_submit(request: Request, form: PostedForm, session: DbSession, visitor: CurrentVisitor) -> Response:
    data, errors, values = parse_form(LoginForm, form)
    if data is None:
        return _login_page(request, values, errors, status_code=422)
    settings = _settings(request)
    address = client_ip(request)
    account_key = f"login:{address}:{service.username_key(data.username)}"
    window = settings.login_window_seconds
    try:
        enforce(
            request, f"login:{address}", Limit(settings.login_attempts_per_address, window), what="sign-ins"
        )
        enforce(
            request,
            account_key,
            Limit(settings.login_attempts_per_account, window),
            what=N_("login attempts"),
        )
    except RateLimited as exc:
        log.warning("sign-in throttled for %s from %s", _loggable_name(data.username), address)
        response = _login_page(request, values, {FORM_ERROR: exc.detail}, status_code=429)
        response.headers.update(exc.headers)
        return response
    # Checked beside the request's transaction, so the password hash is computed without the write lock.
    with side_transactions(request).read() as reader:
        user = service.authenticate(
            reader, data.username, data.password, fast_hash=settings.fast_password_hashing
        )
    if user is not None:
        session.add(user)  # a rehashed password is saved with the new session
    if user is None:
        log.warning("failed sign-in for %s from %s", _loggable_name(data.username), address)
        return _login_page(request, values, {FORM_ERROR: _(WRONG_CREDENTIALS)}, status_code=400)
    limiter(request).reset(account_key)
    log.info("signed in: %s (id %s) from %s", user.username, user.id, address)
    flash(request, _("Welcome back, %(name)s.", name=user.username))
    return _sign_in(request, session, visitor, user, safe_next_path(data.next, default="/account"))


def _register_page(
    request: Request, values: dict[str, Any], errors: dict[str, str], *, status_code: int = 200
) -> HTMLResponse:
    values = {**values, "password": None, "password_confirm": None}
    open_ = _settings(request).registration_open
    return render(
        request,
        "accounts/register.html",
        {"values": values, "errors": errors, "registration_open": open_},
        status_code=status_code if open_ else 403,
    )


@router.get("/register", response_class=HTMLResponse, name="register")
def register_form(request: Request) -> Response:
    return _register_page(request, {}, {})


@router.post("/register", response_class=HTMLResponse, name="register_submit")
def register_submit(
    request: Request, form: PostedForm, session: DbSession, visitor: CurrentVisitor
) -> Response:
    settings = _settings(request)
    if not settings.registration_open:
        return _register_page(request, {}, {})
    data, errors, values = parse_form(RegisterForm, form)
    if data is not None and data.password != data.password_confirm:
        errors = {"password_confirm": _("The two passwords differ.")}
    if data is None or errors:
        return _register_page(request, values, errors, status_code=422)
    address = client_ip(request)
    try:
        enforce(
            request,
            f"register:{address}",
            Limit(settings.registrations_per_address, settings.registration_window_seconds),
            what=N_("sign-ups"),
        )
        user = service.register(
            session,
            data.username,
            data.password,
            registration_open=settings.registration_open,
            fast_hash=settings.fast_password_hashing,
        )
    except RateLimited as exc:
        response = _register_page(request, values, {FORM_ERROR: exc.detail}, status_code=429)
        response.headers.update(exc.headers)
        return response
    except DomainError as exc:
        return _register_page(request, values, domain_field_errors(exc), status_code=exc.status_code)
    log.info("registered: %s (id %s) from %s", user.username, user.id, address)
    flash(request, _("Welcome, %(name)s: your account is ready.", name=user.username))
    return _sign_in(request, session, visitor, user, "/account")


@router.post("/logout", name="logout")
def logout(request: Request, session: DbSession, visitor: CurrentVisitor) -> Response:
    if visitor.session is not None:
        session.delete(visitor.session)
        log.info("signed out: user id %s", visitor.session.user_id)
    response = RedirectResponse("/", status_code=303)
    delete_cookie(response, request, sessions.SESSION_COOKIE)
    flash(request, _("You are logged out."), "info")
    return response


def _password_page(request: Request, errors: dict[str, str], *, status_code: int = 200) -> HTMLResponse:
    return render(request, "accounts/password.html", {"errors": errors}, status_code=status_code)


@router.get("/account/password", response_class=HTMLResponse, name="account_password")
def password_form(request: Request, user: PageUser) -> Response:
    return _password_page(request, {})


@router.post("/account/password", response_class=HTMLResponse, name="account_password_submit")
def password_submit(
    request: Request, form: PostedForm, session: DbSession, user: PageUser, visitor: CurrentVisitor
) -> Response:
    data, errors, _values = parse_form(PasswordChangeForm, form)
    if data is not None and data.new_password != data.new_password_confirm:
        errors = {"new_password_confirm": _("The two new passwords differ.")}
    if data is None or errors:
        return _password_page(request, errors, status_code=422)
    settings = _settings(request)
    try:
        # A stolen session must not become a way to guess the password at leisure.
        limit = Limit(settings.login_attempts_per_account, settings.login_window_seconds)
        enforce(request, f"password:{user.id}", limit, what=N_("password attempts"))
        service.change_password(
            session,
            user,
            data.current_password,
            data.new_password,
            keep_session_id=visitor.session.id if visitor.session is not None else None,
            fast_hash=settings.fast_password_hashing,
        )
    except RateLimited as exc:
        response = _password_page(request, {FORM_ERROR: exc.detail}, status_code=429)
        response.headers.update(exc.headers)
        return response
    except DomainError as exc:
        return _password_page(request, domain_field_errors(exc), status_code=exc.status_code)
    log.info("password changed: %s", user.username)
    flash(request, _("Your password is changed; your other sessions were logged out."))
    return RedirectResponse("/account", status_code=303)
