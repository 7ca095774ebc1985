"""Then steps about what a portal answered: refusals, their messages and reasons, page texts."""

from __future__ import annotations

from behave import then
from behave.runner import Context

from steps.common import scene


@then('she sees "{message}"')
@then('ve el mensaje "{message}"')
@then('viene visualizzato il messaggio "{message}"')
def sees_message(context: Context, message: str) -> None:
    """The refusal's text, exactly, in the account's language."""
    error = scene(context).refused()
    assert error.message == message, (
        f"expected the message {message!r}, found {error.code}: {error.message!r}"
    )


@then('the request is refused with "{code}"')
@then('la solicitud se rechaza con "{code}"')
def refused_with(context: Context, code: str) -> None:
    error = scene(context).refused()
    assert error.code == code, (
        f"expected the refusal {code}, found {error.status} {error.code}: {error.message}"
    )


@then('the refusal names the reason "{reason}"')
def refusal_reason(context: Context, reason: str) -> None:
    error = scene(context).refused()
    found = error.body.get("reason")
    assert found == reason, f"expected the reason {reason!r}, found {found!r} in {error.body}"


@then('the refusal mentions "{text}"')
def refusal_mentions(context: Context, text: str) -> None:
    error = scene(context).refused()
    assert text in error.message, f"expected {text!r} in the refusal, found {error.message!r}"


@then("the refusal is a client error")
def client_error(context: Context) -> None:
    error = scene(context).refused()
    assert 400 <= error.status < 500, f"expected a 4xx status, found {error.status}"


@then('the page offers "{label}"')
@then('la página ofrece "{label}"')
@then('la pagina offre "{label}"')
def page_offers(context: Context, label: str) -> None:
    text = scene(context).page_text()
    assert label in text, f"expected {label!r} on the page, found it missing from {text[:300]!r}…"


@then('the page goes on: "{sentence}"')
@then('la página añade: "{sentence}"')
@then('la pagina aggiunge: "{sentence}"')
def page_goes_on(context: Context, sentence: str) -> None:
    """A sentence the seeds add after a refusal, shown under it on the page, exactly."""
    the_scene = scene(context)
    shown = [element.text() for element in the_scene.document().find_all(data_testid="after-refusal")]
    assert sentence in shown, f"expected {sentence!r} after the refusal, found {shown}"


@then('the page reads "{sentence}"')
@then('la página dice "{sentence}"')
@then('la pagina dice "{sentence}"')
def page_reads(context: Context, sentence: str) -> None:
    """A whole sentence of the open page, as a reader sees it (whitespace collapsed)."""
    text = " ".join(scene(context).document().text().split())
    assert sentence in text, f"expected {sentence!r} on the page, found it missing from {text[:400]!r}…"
