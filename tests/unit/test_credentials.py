"""Clients follow temporary credentials: reused while unchanged, rebuilt when renewed."""

from __future__ import annotations

from passport_ocr.credentials import ClientForCredentials, Credentials


def test_a_client_is_reused_until_the_credentials_are_renewed() -> None:
    current = [Credentials("AK1", "SK1", "TOKEN1")]
    built: list[Credentials] = []
    closed: list[str] = []

    def build(credentials: Credentials) -> str:
        built.append(credentials)
        return f"client-{len(built)}"

    clients = ClientForCredentials(lambda: current[0], build, closed.append)
    first, _ = clients.get()
    again, _ = clients.get()
    assert (first, again, len(built)) == ("client-1", "client-1", 1)

    current[0] = Credentials("AK1", "SK1", "TOKEN2")  # the platform renewed the token
    renewed, used = clients.get()
    assert (renewed, used.security_token) == ("client-2", "TOKEN2")
    assert closed == ["client-1"]


def test_secrets_stay_out_of_the_repr() -> None:
    shown = repr(Credentials("AKID", "very-secret", "session-token"))
    assert "AKID" in shown
    assert "very-secret" not in shown and "session-token" not in shown
