"""Given steps that build the scenario's world: organisations, accounts, settings, the clock."""

from __future__ import annotations

from behave import given, step, then, when
from behave.runner import Context

from harness.clients import PortalError
from steps.common import scene, slug

LEVELS = {"gold": "gold", "silver": "silver", "action_pack": "silver"}


# --- organisations -------------------------------------------------------------------------------------
@given('"{org}" is a {offer:Offer} partner')
@given('"{org}" is an {offer:Offer} partner')
def partner(context: Context, org: str, offer: str) -> None:
    """An MPN partner with a membership offer."""
    scene(context).organisation(org)["membership"] = offer


@given('"{org}" is a {offer:Offer} partner with the "{competency}" competency')
@given('"{org}" is an {offer:Offer} partner with the "{competency}" competency')
@given('que "{org}" es un partner {offer:Offer} con la competencia "{competency}"')
@given('che "{org}" è un partner {offer:Offer} con la competenza "{competency}"')
def partner_with_competency(context: Context, org: str, offer: str, competency: str) -> None:
    """An MPN partner holding one competency (at Gold level for Gold partners, else Silver)."""
    found = scene(context).organisation(org)
    found["membership"] = offer
    found.setdefault("competencies", []).append({"name": competency, "level": LEVELS[offer]})


@given('"{org}" is an MPN partner with no membership offer')
@given('que "{org}" es un partner de MPN sin oferta de pertenencia')
@given('che "{org}" è un partner MPN senza offerta di appartenenza')
def partner_without_offer(context: Context, org: str) -> None:
    scene(context).organisation(org)["membership"] = None


@given('"{org}" is a CSP-only partner')
@given('que "{org}" es un partner solo CSP')
@given('che "{org}" è un partner solo CSP')
def csp_only(context: Context, org: str) -> None:
    scene(context).organisation(org)["programs"] = ["csp"]


@given('"{org}" is also a CSP partner with the customer "{customer}"')
def csp_customer(context: Context, org: str, customer: str) -> None:
    found = scene(context).organisation(org)
    found["programs"] = ["mpn", "csp"]
    found.setdefault("customers", []).append({"id": slug(customer), "name": customer})


@given('the technical benefits of "{org}" are active')
@given('que las ventajas técnicas de "{org}" están activadas')
@given('che i vantaggi tecnici di "{org}" sono attivi')
def benefits_active(context: Context, org: str) -> None:
    """Activated when the world starts (the seed's ``activated``)."""
    scene(context).organisation(org)["activated"] = True


@given('the membership of "{org}" ends on {end}')
def membership_end(context: Context, org: str, end: str) -> None:
    scene(context).organisation(org)["membership_end"] = end


# --- a whole seed document, in any state (D13) ---------------------------------------------------------
@given("the world is described by this seed document:")
@given("che il mondo è descritto da questo documento seed:")
def described_by(context: Context) -> None:
    """The docstring's seed document (YAML or JSON), merged into what the Givens built so far."""
    from portals.backend.seed import parse_document  # the seed models load when a scenario needs them

    assert context.text, "the seed document is the step's docstring"
    scene(context).describe(parse_document(context.text))


@then('the world cannot be built: "{message}"')
def world_refused(context: Context, message: str) -> None:
    """The control API refuses the scene's seed document whole, naming the field and why."""
    the_scene = scene(context)
    try:
        the_scene.ensure_world()
    except PortalError as error:
        found = (error.status, error.code, error.message)
        expected = (400, "InvalidSeed", f"Invalid seed document: {message}")
        matches = found[:2] == expected[:2] and found[2].startswith(expected[2])
        assert matches, f"expected {expected}, found {found}"
        names = [world["name"] for world in the_scene.control.worlds()]
        assert the_scene.world not in names, f"expected no world {the_scene.world}, found {names}"
        return
    raise AssertionError(f"expected the seed document to be refused, found world {the_scene.world} built")


# --- accounts ----------------------------------------------------------------------------------------
@given('"{upn}" is {role:Role} of "{org}"')
@given('que "{upn}" es {role:RolEs} de "{org}"')
@given('che "{upn}" è {role:RuoloIt} di "{org}"')
def member(context: Context, upn: str, role: str, org: str) -> None:
    """A work account of the organisation with one role (``user``: no admin role)."""
    the_scene = scene(context)
    the_scene.organisation(org)
    the_scene.account(upn, organisation=slug(org), roles=[role])


@given('"{upn}" is a personal Microsoft account')
def personal_account(context: Context, upn: str) -> None:
    scene(context).account(upn, kind="msa")


@given('"{upn}" is a work account outside the organisation')
def outside_work_account(context: Context, upn: str) -> None:
    scene(context).account(upn, kind="aad", tenant=upn.split("@", 1)[1])


# --- settings and languages --------------------------------------------------------------------------
@given("activation is immediate")
@given("que la activación es inmediata")
def activation_immediate(context: Context) -> None:
    scene(context).setting(activation_delay="P0D")


@given("activation takes {days:d} days")
@given("che l'attivazione richiede {days:d} giorni")
def activation_delay(context: Context, days: int) -> None:
    scene(context).setting(activation_delay=f"P{days}D")


@given("the activation delay of the world is left as it is")
def activation_delay_default(context: Context) -> None:
    """D2's default is what is tested: no Given sets the delay, and this one makes sure none did."""
    world = scene(context).seed["world"]
    assert "activation_delay" not in world, (
        f"expected no activation delay set, found {world['activation_delay']}"
    )


@given("the Azure portal is in {mode:Mode} mode")
def azure_link_mode(context: Context, mode: str) -> None:
    scene(context).setting(azure_link_mode=mode)


@given('"{upn}" uses the portals in {language:Language}')
def account_language(context: Context, upn: str, language: str) -> None:
    scene(context).langs[upn] = language


@given("que los portales hablan español")
def spanish(context: Context) -> None:
    scene(context).lang = "es-ES"


@given("che i portali parlano italiano")
def italian(context: Context) -> None:
    scene(context).lang = "it-IT"


# --- the clock (D10) -----------------------------------------------------------------------------------
@step("the simulated date is {day}")
@step("the simulated date becomes {day}")
@when("la fecha simulada pasa a ser el {day}")
def simulated_date(context: Context, day: str) -> None:
    """The world's clock at 09:00 UTC of ``day`` (YYYY-MM-DD): the seed's start before the world
    exists, else the clock is set through the control API."""
    the_scene = scene(context)
    instant = f"{day}T09:00:00Z"
    if the_scene.made:
        the_scene.control.set_clock(the_scene.world, instant)
    else:
        the_scene.shape()["world"]["start"] = instant


@step("{days:d} days pass")
@step("1 day passes")
@when("passano {days:d} giorni")
def days_pass(context: Context, days: int = 1) -> None:
    the_scene = scene(context)
    the_scene.control.advance_clock(the_scene.ensure_world(), f"P{days}D")


@step("{days:d} days and {hours:d} hours pass")
@step("1 hour passes")
def days_and_hours_pass(context: Context, days: int = 0, hours: int = 1) -> None:
    the_scene = scene(context)
    the_scene.control.advance_clock(the_scene.ensure_world(), f"P{days}DT{hours}H")
