import json
import re

import pytest
from django.core import mail
from django.urls import reverse

from buurtwacht.accounts.models import HomeAddress, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, email, password=PASSWORD):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_login_and_logout(client, make_resident):
    femke = make_resident("Femke de Boer")
    response = login(client, femke.email.upper())  # e-mail addresses are case-insensitive
    assert response.status_code == 302
    assert client.get(reverse("profile")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("profile")).status_code == 302  # back to login


def test_wrong_password_is_a_dutch_error(client, make_resident):
    femke = make_resident("Femke de Boer")
    response = login(client, femke.email, "verkeerd-wachtwoord")
    assert response.status_code == 200
    assert "horen niet bij elkaar" in response.text


def test_login_is_throttled_after_five_failures(client, make_resident, settings):
    femke = make_resident("Femke de Boer")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, femke.email, "fout").status_code == 200
    locked = login(client, femke.email, "fout")
    assert locked.status_code == 429
    assert "Te veel pogingen" in locked.text
    # Even the right password is refused while locked, however the address is written.
    assert login(client, femke.email).status_code == 429
    assert login(client, femke.email.upper()).status_code == 429


def test_profile_requires_login(client):
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_password_reset_by_email(client, make_resident):
    femke = make_resident("Femke de Boer")
    response = client.post(reverse("password_reset"), {"email": femke.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [femke.email]
    assert "nieuw wachtwoord" in message.subject.lower()
    link = re.search(r"https?://[^/]+(/\S+)", message.body).group(1)
    form_url = client.get(link).url  # Django swaps the token for a session and redirects
    new = "lindeboom-plein-42"
    done = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert login(client, femke.email, new).status_code == 302
    # The link works once.
    assert "werkt niet meer" in client.get(link, follow=True).text


def test_password_reset_for_unknown_email_sends_nothing_and_says_the_same(client, db):
    response = client.post(reverse("password_reset"), {"email": "niemand@example.nl"}, follow=True)
    assert "Kijk in je e-mail" in response.text
    assert mail.outbox == []


def test_change_email_needs_the_current_password(client, make_resident):
    femke = make_resident("Femke de Boer")
    client.force_login(femke)
    wrong = client.post(reverse("change_email"), {"email": "nieuw@example.nl", "password": "fout"})
    assert "Je wachtwoord klopt niet" in wrong.text
    ok = client.post(reverse("change_email"), {"email": "Nieuw@Example.nl", "password": PASSWORD})
    assert ok.status_code == 302
    femke.refresh_from_db()
    assert femke.email == "nieuw@example.nl"


def test_change_email_to_someone_elses_is_refused(client, make_resident):
    femke, joost = make_resident("Femke de Boer"), make_resident("Joost Mulder")
    client.force_login(femke)
    response = client.post(reverse("change_email"), {"email": joost.email, "password": PASSWORD})
    assert "Er bestaat al een account met dit e-mailadres" in response.text
    femke.refresh_from_db()
    assert femke.email != joost.email


def test_change_email_is_refused_by_the_action_in_any_spelling_of_a_taken_address(
    make_resident,
):
    """Only the form checked: two changes at once ended in an IntegrityError (a 500)."""
    from buurtwacht.accounts import actions
    from buurtwacht.core.errors import ActionError

    femke, joost = make_resident("Femke de Boer"), make_resident("Joost Mulder")
    own = femke.email
    fullwidth_at = joost.email.upper().replace("@", "\uff20")  # NFKC makes it "@"
    for spelling in (joost.email, f"  {joost.email.upper()} ", fullwidth_at):
        with pytest.raises(ActionError) as refused:
            actions.change_email(user=femke, email=spelling)
        assert refused.value.code == "email_taken"
        assert refused.value.message == "Er bestaat al een account met dit e-mailadres."
        assert femke.email == own
    femke.refresh_from_db()
    assert femke.email == own
    actions.change_email(user=femke, email=own.upper())  # one's own address is not taken
    femke.refresh_from_db()
    assert femke.email == own


def test_change_password_keeps_the_session(client, make_resident):
    femke = make_resident("Femke de Boer")
    client.force_login(femke)
    new = "kastanje-laan-19"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert client.get(reverse("profile")).status_code == 200
    femke.refresh_from_db()
    assert femke.check_password(new)


def test_export_contains_everything_about_me_and_no_secrets(client, make_resident):
    femke = make_resident("Femke de Boer")
    client.force_login(femke)
    response = client.get(reverse("export_data"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == femke.email
    assert data["account"]["date_of_birth"] == "1980-05-17"
    assert data["home_address"]["street"] == "Poelestraat"
    assert data["home_address"]["house_number"] == 24
    assert "password" not in response.text
    assert femke.password not in response.text
    assert data["memberships"] == [] and data["notifications"]["devices"] == 0


def test_delete_account_removes_personal_data_and_keeps_an_anonymous_row(client, make_resident):
    femke = make_resident("Femke de Boer")
    email = femke.email
    client.force_login(femke)
    refused = client.post(reverse("delete_account"), {"password": PASSWORD})
    assert refused.status_code == 200  # the confirmation box is required
    response = client.post(reverse("delete_account"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    femke.refresh_from_db()
    assert femke.name == ""
    assert femke.date_of_birth is None
    assert femke.email != email
    assert not femke.is_active
    assert not femke.has_usable_password()
    assert femke.deleted_at is not None
    assert not HomeAddress.objects.filter(user=femke).exists()
    assert User.objects.filter(pk=femke.pk).exists()
    assert login(client, email).status_code == 200  # cannot log in any more


def test_date_of_birth_and_house_number_only_on_own_profile(client, make_resident):
    femke, joost = (
        make_resident("Femke de Boer"),
        make_resident("Joost Mulder", number=23, letter="A", postcode="9711PH"),
    )
    client.force_login(joost)
    page = client.get(reverse("profile")).text
    assert "Joost Mulder" in page
    assert "Femke" not in page
    assert "1980" in page  # his own date of birth
    assert femke.email not in page


def test_staff_cannot_add_delete_or_readdress_accounts_in_the_admin(client, anna_admin, group):
    """The admin writes only through actions: no account made there (registration checks
    18+ and the address), none deleted there (delete_account keeps the last-admin rule and
    removes personal data), no home address edited there."""
    staff = User.objects.create_user("staf@example.nl", "x", name="Staf", is_staff=True)
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    assert client.get("/beheer/accounts/user/add/").status_code == 403
    delete = client.post(f"/beheer/accounts/user/{anna_admin.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403
    assert User.objects.filter(pk=anna_admin.pk, deleted_at__isnull=True).exists()
    page = client.get(f"/beheer/accounts/user/{anna_admin.pk}/change/")
    assert page.status_code == 200
    address = HomeAddress.objects.get(user=anna_admin)
    assert address.street in page.text
    assert 'name="home_address-0-street"' not in page.text  # shown, not a field
    client.post(
        f"/beheer/accounts/user/{anna_admin.pk}/change/",
        {
            "email": anna_admin.email,
            "name": anna_admin.name,
            "date_of_birth": anna_admin.date_of_birth.isoformat(),
            "is_active": "on",
            "home_address-TOTAL_FORMS": "1",
            "home_address-INITIAL_FORMS": "1",
            "home_address-0-id": str(address.pk),
            "home_address-0-user": str(anna_admin.pk),
            "home_address-0-street": "Elders",
            "home_address-0-DELETE": "on",
        },
    )
    assert HomeAddress.objects.get(pk=address.pk).street == address.street


def test_export_holds_what_i_gave_in_a_join_request_and_its_vetting(
    client, group, anna_admin, resident_on
):
    from buurtwacht.groups import actions as group_actions
    from tests.conftest import GROUP_STREET, VETTED

    lotte = resident_on("Lotte Jansen", GROUP_STREET, 20)
    request = group_actions.request_to_join(
        user=lotte,
        group_id=group.pk,
        message="Ik woon op de hoek",
        contact="06 12345678 na 18 uur",
        rules_accepted=True,
    )
    group_actions.admit_member(admin=anna_admin, request_id=request.pk, vetting=VETTED)
    client.force_login(lotte)
    [given] = client.get(reverse("export_data")).json()["join_requests"]
    assert given["message"] == "Ik woon op de hoek"
    assert given["contact"] == "06 12345678 na 18 uur"
    assert given["status"] == "admitted" and given["decided_at"]
    assert given["vetting"]["contact_method"] == "in_person"
    assert given["vetting"]["note"] == VETTED.note


def test_login_lands_a_member_on_their_group(client, group, mo_member):
    response = login(client, mo_member.email)
    assert client.get(response.url).url == reverse("group", args=[group.pk])


def test_login_lands_someone_without_a_group_on_the_groups_for_their_address(client, make_resident):
    femke = make_resident("Femke de Boer")
    response = login(client, femke.email)
    assert client.get(response.url).url == reverse("my_groups")
