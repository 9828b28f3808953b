"""One whole conversation with real token validation, logging at every level: a coördinator views
and changes pincodes, saves an LVS key and reads the school's trail. No pincode, LVS key, bearer
token, app password or secret key reaches the logs, and the trail shows what happened without
any of them."""

from __future__ import annotations

import logging

from tests.bot.test_token_validation import PASSWORD, LocalIssuer, _client, token
from tests.conftest import TEST_KEY_TEXT, Chat
from tests.lvs_fake import GOOD_KEY
from tests.pincode_support import all_codes, stored_codes


class SignedChat(Chat):
    """A chat whose every request carries a bearer token, as Teams sends them."""

    def __init__(self, client, bearer: str, **kwargs) -> None:
        super().__init__(client, **kwargs)
        self.bearer = bearer

    async def post(self, activity: dict) -> list[dict]:
        response = await self.client.post("/api/messages", json=activity,
                                          headers={"Authorization": f"Bearer {self.bearer}"})
        assert response.status == 200, await response.text()
        self.replies = (await response.json())["activities"]
        return self.replies


async def test_no_secret_in_the_logs_of_a_whole_conversation(aiohttp_client, aiohttp_server,
                                                             migrated_demo_db, db, caplog):
    # SQL logging echoes ciphertext, whose repr may hold digits by chance; that no plaintext
    # reaches SQL at all is what the pincode tests' database-file checks prove.
    caplog.set_level(logging.WARNING, logger="sqlalchemy")
    caplog.set_level(logging.WARNING, logger="aiosqlite")
    caplog.set_level(logging.DEBUG)
    client = await _client(aiohttp_client, aiohttp_server, migrated_demo_db, LocalIssuer())
    bearer = token()
    chat = SignedChat(client, bearer)
    shown = await all_codes(db)

    await chat.join()
    await chat.choose_school("OBS De Regenboog (12AB 00)")
    await chat.say("pincodes groep 4")
    assert "Pincodes Groep 4" in chat.texts()
    await chat.click("Toon pincodes")
    first_pupil = next(a["title"] for a in chat.actions()
                       if a.get("title", "").startswith("Wijzig ") and a["title"] != "Wijzig pincode")
    await chat.click(first_pupil)
    await chat.click("Wijzig pincode", new_code="730519")
    await chat.say("resultaten uitwisselen")
    await chat.click("Koppeling toevoegen")
    await chat.click("Momento")
    await chat.click("Opslaan", lvs_key=GOOD_KEY)
    assert "Koppeling opgeslagen" in chat.texts()
    await chat.say("logboek")
    trail = chat.texts()
    assert "Pincode gewijzigd: Groep 4" in trail and "Pincodes bekeken: Groep 4" in trail
    assert "Koppeling met het LVS toegevoegd: Momento" in trail

    codes = shown | await all_codes(db) | {"730519"}
    pictures = {" ".join(code.split("-")) for _, code in
                (await stored_codes(db, "Groep 4", 1)).values() if "-" in code}
    logged = caplog.text + "\n".join(str(r.args) for r in caplog.records)
    assert "Bearer" not in logged
    for secret in (*codes, *pictures, GOOD_KEY, bearer, bearer.split(".")[-1], PASSWORD,
                   TEST_KEY_TEXT):
        assert secret not in logged
        assert secret not in trail
