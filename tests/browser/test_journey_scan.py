"""The door on the day: a candidate shows the ticket on their phone, the desk's camera reads it; a handheld
scanner types codes; a network loss keeps the scans waiting on the page, sent when the network returns.

The camera is Chromium's fake capture device playing a video made in the test from a screenshot of the
candidate's own "Mon billet" page: the page decodes it for real (jsQR, served from our static files; Chromium
on Linux has no BarcodeDetector). A second browser is launched for the desk, with the camera flags.
"""

import datetime as dt
import io
import re

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from candidates import tokens
from events.models import Registration
from events.tickets import ticket_code
from tescforce import roles
from tests import factories

from .conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, Journey
from .csp_watch import Watch
from .journey_steps import serious_violations, tr, use_language

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def today(settings):
    """A session under way today, whose desk is open."""
    settings.CHECKIN_OPENS_AT = "00:00"
    start = factories.today_from_now(-dt.timedelta(minutes=30))
    return factories.SessionFactory(title="Job dating Toulouse", city="Toulouse", capacity=30, starts_at=start,
                                    ends_at=start + dt.timedelta(hours=4))


def _booked(session, first, last, email):
    person = factories.CandidateFactory(first_name=first, last_name=last, email=email)
    return factories.RegistrationFactory(session=session, candidate=person)


def _camera_video(qr_png: bytes, path) -> str:
    """An MJPEG file (JPEG frames one after another) of the QR code held in front of a 640×480 camera."""
    qr = Image.open(io.BytesIO(qr_png)).convert("RGB")
    qr.thumbnail((360, 360))
    frame = Image.new("RGB", (640, 480), (235, 235, 230))
    frame.paste(qr, ((640 - qr.width) // 2, (480 - qr.height) // 2))
    out = io.BytesIO()
    for _ in range(3):
        frame.save(out, format="JPEG", quality=90)
    path.write_bytes(out.getvalue())
    return str(path)


def _sign_in(context, base_url: str, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


def _desk_url(session) -> str:
    return f"/pilotage/sessions/{session.pk}/accueil/"


@pytest.mark.parametrize(("lang", "width"), [("fr", 390), ("en", 1280)])
def test_a_candidate_s_ticket_is_scanned_at_the_desk_with_the_camera(phone_journey, browser_type, live_server,
                                                                      today, tmp_path, lang, width):
    booking = _booked(today, "Romain", "Barthe", "romain.barthe@gmail.com")
    _booked(today, "Romain", "Barthe", "rbarthe@orange.fr")  # a namesake, told apart by the masked address
    code = ticket_code(booking)
    coordinator = factories.UserFactory(username=f"accueil-{lang}", first_name="Marie", last_name="Dupont",
                                        groups=[roles.COORDINATORS])

    # The candidate opens "Mon billet" on their phone.
    token = tokens.make_token(candidate_public_id=str(booking.candidate.public_id), purpose="space")
    phone_journey.open(f"/{lang}/mon-espace/lien/{token}/", "signed in")
    phone_journey.open(f"/{lang}/sessions/mon-espace/billet/{booking.pk}/", "my ticket")
    qr = phone_journey.page.get_by_role("img", name=re.compile(re.escape(code)))
    expect(qr).to_be_visible()
    video = _camera_video(qr.screenshot(), tmp_path / "ticket.mjpeg")

    # The desk: a browser whose camera films that screen.
    browser = browser_type.launch(executable_path=CHROMIUM, args=[
        *CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}"])
    try:
        size = PHONE if width == 390 else {"viewport": {"width": 1280, "height": 900}}
        context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", **size)
        _sign_in(context, live_server.url, coordinator)
        desk = Journey(context.new_page(), live_server.url, phone_journey.folder / "desk")
        (phone_journey.folder / "desk").mkdir()
        use_language(desk, lang)
        watch = Watch(desk)
        watch.open(_desk_url(today))
        page = desk.page
        expect(page.get_by_role("heading", level=1)).to_contain_text("Job dating Toulouse")
        page.get_by_role("button", name=tr("Scanner avec la caméra", lang)).click()
        result = page.locator("#scan-result")
        expect(result).to_contain_text(tr("Entrée validée", lang), timeout=15_000)
        expect(result).to_contain_text("Barthe Romain")
        expect(result).to_contain_text("r•••@gmail.com")
        assert page.evaluate("document.getElementById('scan-video').videoWidth") == 640
        desk.step("ticket read by the camera")
        stored = Registration.objects.get(pk=booking.pk)
        assert stored.status == "attended" and stored.checked_in_by == coordinator
        # The result is in the live region, in words (not colour alone), and on screen beside the camera.
        assert result.get_attribute("aria-live") == "assertive"
        box = result.bounding_box()
        assert box["y"] + box["height"] <= page.viewport_size["height"] + page.evaluate("window.scrollY")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        count = page.get_by_role("status").filter(has=page.locator("[data-count]"))
        expect(count).to_have_text(re.compile(r"^\s*1\D+2\D+0\D*$"))
        assert serious_violations(page) == []

        # The same ticket shown again (a copy passed to a friend): refused, with when and by whom.
        page.get_by_role("button", name=tr("Arrêter la caméra", lang)).click()
        page.get_by_label(tr("Code du billet", lang)).fill(code)
        page.get_by_label(tr("Code du billet", lang)).press("Enter")
        expect(result).to_contain_text(tr("Refusé", lang))
        expect(result).to_contain_text("Marie Dupont")
        desk.step("second scan refused")
        watch.collect()
        watch.assert_clean(1)
        context.close()
    finally:
        browser.close()
    assert Registration.objects.filter(session=today, status="attended").count() == 1


def test_a_handheld_scanner_checks_people_in_and_each_refusal_is_said(journey, today):
    coordinator = factories.UserFactory(username="accueil", first_name="Marie", last_name="Dupont",
                                        groups=[roles.COORDINATORS])
    nadia = _booked(today, "Nadia", "Benali", "nadia@example.org")
    cancelled = _booked(today, "Hugo", "Marty", "hugo@example.org")
    cancelled_code = ticket_code(cancelled)
    # Cancelled the day before (the session has begun now: no cancelling any more).
    Registration.objects.filter(pk=cancelled.pk).update(status="cancelled", cancelled_at=timezone.now())
    elsewhere = factories.SessionFactory(title="Job dating Montpellier", city="Montpellier")
    other = _booked(elsewhere, "Léa", "Faure", "lea@example.org")
    journey.login(coordinator)
    page = journey.open(_desk_url(today), "desk")
    result = page.locator("#scan-result")
    field = page.get_by_label("Code du billet")
    expect(field).to_be_focused()

    # A handheld scanner types the code and Enter into the field that has the focus.
    page.keyboard.type(ticket_code(nadia) + "\n", delay=5)
    expect(result).to_contain_text("Entrée validée")
    expect(result).to_contain_text("Benali Nadia")
    expect(field).to_have_value("")
    expect(field).to_be_focused()
    journey.step("handheld scan")
    assert Registration.objects.get(pk=nadia.pk).status == "attended"
    row = page.get_by_role("listitem").filter(has_text="Benali")
    expect(row.get_by_role("button", name=re.compile("^Annuler le pointage"))).to_be_visible()

    # In the name search by mistake: still read as a ticket.
    page.get_by_label("Rechercher par nom").fill(ticket_code(other))
    page.get_by_label("Rechercher par nom").press("Enter")
    expect(result).to_contain_text("Refusé")
    expect(result).to_contain_text("Ce billet est pour une autre session : « Job dating Montpellier »")
    journey.step("another session's ticket")

    for code, words in [(cancelled_code, "Cette réservation a été annulée"),
                        (ticket_code(nadia)[:-2] + "ZZ", "Billet non valide"),
                        (ticket_code(nadia), "Déjà enregistré·e à "),
                        ("https://example.org/", "Ce QR code n'est pas un billet Tesc Force.")]:
        field.fill(code)
        field.press("Enter")
        expect(result).to_contain_text(words)
        expect(result.locator(".checkin-result-card.is-refused")).to_be_visible()
    expect(page.locator("#scan-log li")).to_have_count(6)
    journey.step("refusals")
    assert Registration.objects.get(pk=cancelled.pk).status == "cancelled"
    assert Registration.objects.get(pk=other.pk).status == "confirmed"


def test_scans_made_offline_wait_on_the_page_and_are_sent_when_the_network_returns(journey, today):
    coordinator = factories.UserFactory(username="accueil", groups=[roles.HOTLINE])
    first = _booked(today, "Nadia", "Benali", "nadia@example.org")
    second = _booked(today, "Hugo", "Marty", "hugo@example.org")
    tapped = _booked(today, "Léa", "Faure", "lea@example.org")
    journey.login(coordinator)
    page = journey.open(_desk_url(today), "desk")
    result, net = page.locator("#scan-result"), page.locator("#checkin-net")
    field = page.get_by_label("Code du billet")
    field.fill(ticket_code(first))
    field.press("Enter")
    expect(result).to_contain_text("Entrée validée")

    page.context.set_offline(True)
    expect(net).to_contain_text("Hors ligne")
    field.fill(ticket_code(second))
    field.press("Enter")
    expect(result).to_contain_text("En attente")
    expect(result).to_contain_text("Billet de Marty Hugo ?")
    # The same ticket scanned twice while offline, and the one already let in: all wait.
    for code in (ticket_code(second), ticket_code(first)):
        field.fill(code)
        field.press("Enter")
    page.get_by_role("button", name=re.compile("^Présent·e.*Léa Faure")).click()
    expect(net).to_contain_text("4 scans en attente")
    expect(page.get_by_role("listitem").filter(has_text="Faure").locator("[data-status]")).to_have_text("En attente")
    journey.step("offline, four waiting")
    assert Registration.objects.get(pk=second.pk).status == "confirmed"
    assert Registration.objects.get(pk=tapped.pk).status == "confirmed"
    # Kept in the browser's storage: a reload would find them.
    assert page.evaluate(f"JSON.parse(localStorage.getItem('tf-checkin-queue:{today.pk}')).length") == 4

    page.context.set_offline(False)
    expect(net).to_contain_text("aucun scan en attente", timeout=15_000)
    expect(net).to_contain_text("En ligne")
    log = page.locator("#scan-log")
    expect(log.locator("li.is-ok").filter(has_text="Marty Hugo")).to_have_count(1)
    expect(log.locator("li.is-refused").filter(has_text="Marty Hugo")).to_contain_text("Déjà enregistré·e")
    expect(log.locator("li.is-refused").filter(has_text="Benali Nadia")).to_contain_text("Déjà enregistré·e")
    expect(page.get_by_role("listitem").filter(has_text="Faure").locator("[data-status]")).to_have_text("Présent·e")
    count = page.get_by_role("status").filter(has=page.locator("[data-count]"))
    expect(count).to_have_text(re.compile(r"^\s*3\D+3\D+0\D*$"))
    journey.step("back online, sent")
    assert page.evaluate(f"localStorage.getItem('tf-checkin-queue:{today.pk}')") == "[]"
    assert Registration.objects.filter(session=today, status="attended").count() == 3
    assert Registration.objects.get(pk=second.pk).checked_in_by == coordinator


def test_a_name_typed_before_the_page_s_script_runs_still_narrows_the_list(journey, today):
    """On a slow network the search box shows before the script that filters the list: what was typed then
    counts once the script runs (it used to wait for the next key)."""
    _booked(today, "Nadia", "Benali", "nadia@example.org")
    _booked(today, "Hugo", "Marty", "hugo@example.org")
    journey.login(factories.UserFactory(username="accueil", groups=[roles.HOTLINE]))
    page = journey.page
    held = []
    page.route("**/events/checkin*.js", lambda route: held.append(route))  # held until the test lets it go
    page.goto(journey.url(_desk_url(today)), wait_until="commit")
    page.get_by_label("Rechercher par nom").fill("benali")
    while not held:
        page.wait_for_timeout(50)
    held[0].continue_()
    expect(page.get_by_role("button", name=re.compile("^Présent·e"))).to_have_count(1)
    expect(page.get_by_role("listitem").filter(has_text="Benali")).to_be_visible()


def test_a_send_that_fails_again_leaves_the_card_and_the_scroll_alone(journey, today):
    """The network still down when the page tries again: the card keeps the last ticket scanned and the page
    stays where the desk scrolled it (it used to show the oldest waiting ticket again and scroll back up to
    it, under the finger about to tap a row)."""
    people = [_booked(today, "Prénom", f"Nom{i:02d}", f"p{i}@example.org") for i in range(30)]
    journey.login(factories.UserFactory(username="accueil", groups=[roles.HOTLINE]))
    page = journey.open(_desk_url(today), "desk")
    # Sends fail as on a Wi-Fi that lost its uplink: the browser still says it is online.
    page.route("**/*", lambda route: route.abort() if route.request.method == "POST" else route.continue_())
    result, net = page.locator("#scan-result"), page.locator("#checkin-net")
    field = page.get_by_label("Code du billet")
    for person in people[:2]:
        field.fill(ticket_code(person))
        field.press("Enter")
    expect(net).to_contain_text("2 scans en attente")
    expect(result).to_contain_text("Nom01")
    last_row = page.get_by_role("listitem").filter(has_text="Nom29")
    last_row.scroll_into_view_if_needed()
    scrolled = page.evaluate("window.scrollY")
    assert scrolled > 0
    # Count the sends that fail, then make the page try again at once; its handlers of a failure run in the
    # microtasks just after the count, so they are done by the time the test reads it.
    page.evaluate("""() => {
        window.__failed = 0;
        const send = window.fetch;
        window.fetch = (...args) => send(...args).catch((error) => { window.__failed += 1; throw error; });
    }""")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    for _ in range(200):  # wait_for_function would need eval, which the page's CSP forbids
        if page.evaluate("window.__failed") >= 1:
            break
        page.wait_for_timeout(50)
    assert page.evaluate("window.__failed") >= 1
    expect(net).to_contain_text("Hors ligne")
    expect(result).to_contain_text("Nom01")
    expect(result).not_to_contain_text("Nom00")
    assert page.evaluate("window.scrollY") == scrolled
    expect(net).to_contain_text("2 scans en attente")


def test_a_failure_that_comes_back_after_the_next_scan_leaves_the_card_to_the_next_ticket(journey, today):
    """Two tickets scanned in a row on a slow network: the first send fails only once the second ticket is on the
    card. The card keeps the second person, the one in front of the desk (it used to show the first again)."""
    people = [_booked(today, "Prénom", f"Nom{i:02d}", f"p{i}@example.org") for i in range(2)]
    journey.login(factories.UserFactory(username="accueil", groups=[roles.HOTLINE]))
    page = journey.open(_desk_url(today), "desk")
    held = []
    page.route("**/*", lambda route: held.append(route) if route.request.method == "POST" else route.continue_())
    result, net = page.locator("#scan-result"), page.locator("#checkin-net")
    field = page.get_by_label("Code du billet")
    field.fill(ticket_code(people[0]))
    field.press("Enter")
    for _ in range(200):
        if held:
            break
        page.wait_for_timeout(50)
    assert len(held) == 1
    field.fill(ticket_code(people[1]))
    field.press("Enter")
    expect(result).to_contain_text("Nom01")
    held[0].abort()
    expect(net).to_contain_text("Hors ligne")
    expect(net).to_contain_text("2 scans en attente")
    expect(result).to_contain_text("Nom01")
    expect(result).not_to_contain_text("Nom00")
    # The first ticket's wait is still said, in the log under the card.
    expect(page.locator("#scan-log")).to_contain_text(ticket_code(people[0]))


def test_the_scan_waiting_in_storage_is_sent_when_the_page_opens_again(journey, today):
    """A page closed while offline: its waiting scan is sent by the next opening of the desk on that device."""
    person = _booked(today, "Nadia", "Benali", "nadia@example.org")
    journey.login(factories.UserFactory(username="accueil", groups=[roles.COORDINATORS]))
    page = journey.open(_desk_url(today), "desk")
    context = page.context
    # Offline, and the scans refused on the way out too: with the emulated network loss alone, this test once
    # found the booking checked in before the second opening (a full run on a loaded machine).
    context.route("**/*", lambda route: route.abort() if route.request.method == "POST" else route.continue_())
    context.set_offline(True)
    page.get_by_label("Code du billet").fill(ticket_code(person))
    page.get_by_label("Code du billet").press("Enter")
    expect(page.locator("#checkin-net")).to_contain_text("1 scan en attente")
    page.close()
    assert Registration.objects.get(pk=person.pk).status == "confirmed"
    context.unroute("**/*")
    context.set_offline(False)
    again = context.new_page()
    again.goto(journey.url(_desk_url(today)))
    expect(again.locator("#checkin-net")).to_contain_text("aucun scan en attente", timeout=15_000)
    expect(again.locator("#scan-result")).to_contain_text("Entrée validée")
    assert Registration.objects.get(pk=person.pk).status == "attended"


# Chrome on Android and macOS and Safari read QR codes themselves: the page then uses BarcodeDetector, not
# jsQR. Chromium on Linux has none, so the test gives the page one that answers with the ticket's code.
DETECTOR = """
window.__detected = 0;
window.BarcodeDetector = class {
  static getSupportedFormats() { return Promise.resolve(["qr_code", "ean_13"]); }
  constructor(options) { window.__formats = options.formats; }
  detect(source) {
    window.__detected += 1;
    return Promise.resolve(source.videoWidth ? [{rawValue: window.__code, format: "qr_code"}] : []);
  }
};
window.addEventListener("DOMContentLoaded", () => { window.jsQR = () => { throw new Error("jsQR used"); }; });
"""


def test_a_browser_with_its_own_qr_reader_uses_it_instead_of_jsqr(browser_type, live_server, today, tmp_path):
    booking = _booked(today, "Nadia", "Benali", "nadia@example.org")
    browser = browser_type.launch(executable_path=CHROMIUM, args=[
        *CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"])
    try:
        context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
        _sign_in(context, live_server.url, factories.UserFactory(username="accueil", groups=[roles.HOTLINE]))
        page = context.new_page()
        page.add_init_script(DETECTOR.replace("window.__code", repr(ticket_code(booking))))
        page.goto(live_server.url + _desk_url(today))
        page.get_by_role("button", name="Scanner avec la caméra").click()
        expect(page.locator("#scan-result")).to_contain_text("Entrée validée", timeout=15_000)
        assert page.evaluate("window.__formats") == ["qr_code"] and page.evaluate("window.__detected") >= 1
        context.close()
    finally:
        browser.close()
    assert Registration.objects.get(pk=booking.pk).status == "attended"


def test_waiting_scans_go_once_the_desk_has_signed_in_again(journey, today):
    """Signed out during a network loss: the page says so, and sends the queue after a new sign-in."""
    person = _booked(today, "Nadia", "Benali", "nadia@example.org")
    user = factories.UserFactory(username="accueil", groups=[roles.COORDINATORS])
    journey.login(user)
    page = journey.open(_desk_url(today), "desk")
    page.context.set_offline(True)
    page.get_by_label("Code du billet").fill(ticket_code(person))
    page.get_by_label("Code du billet").press("Enter")
    expect(page.locator("#checkin-net")).to_contain_text("1 scan en attente")
    page.context.clear_cookies()
    page.context.set_offline(False)
    expect(page.locator("#scan-camera-note")).to_contain_text("Votre connexion a expiré")
    expect(page.locator("#checkin-net")).to_contain_text("1 scan en attente")
    journey.step("signed out, still waiting")
    assert Registration.objects.get(pk=person.pk).status == "confirmed"
    # Still signed out when the page first asks for a new token: it must ask again after the sign-in.
    page.wait_for_timeout(1_500)
    journey.login(user)
    expect(page.locator("#checkin-net")).to_contain_text("aucun scan en attente", timeout=20_000)
    expect(page.locator("#scan-result")).to_contain_text("Entrée validée")
    assert Registration.objects.get(pk=person.pk).checked_in_by == user
