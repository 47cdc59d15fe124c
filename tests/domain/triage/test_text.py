from postdesk.domain.triage.text import fold_accents, normalise_for_model, visible_text


def test_quoted_history_and_reply_prefix_do_not_reach_the_classifier():
    body = ("My account is locked.\n\nOn Mon, Sep 8, 2025 at 9:12 AM Postdesk <support@postdesk.test> wrote:\n"
            "> Thank you for contacting us about your missing package.")
    assert visible_text("Re: AW: Login", body) == "Login\nMy account is locked."


def test_numbers_become_shape_tokens_and_accents_fold():
    text = normalise_for_model("Sendung 9400 1118 9922 3818 2184 07 für 45,99 € an 10001")
    assert text == "sendung trknum fur moneytok an num5"
    assert "trkother" in normalise_for_model("UPS 1Z999AA10123456784")
    assert fold_accents("Straße über año") == "Strasse uber ano"
