"""The rules page answers the toolkit's "who wrote them?": how the current version came
about, who suggested and decided its changes, when it was put to the group, how many
agreed, and who upholds the rules now."""

import re

from groundrules import services
from groundrules.models import Rulebook
from groups.models import Group
from tests.builders import add_member, make_user


def html_of(response):
    return response.content.decode()


def origin(page):
    start = page.index('id="origin-heading"')
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page[start : page.index("</dl>", start)]))


def suggest(gr, group, by, text):
    return services.propose(
        group=group, by=by, kind="add", fields=gr.fields(text), reason="Why not."
    )


def test_who_wrote_the_first_rules(cast, client_for, gr):
    group = cast.group_a
    Rulebook.objects.create(group=group, who_writes="The whole group, together")
    version = gr.adopt(group, cast.facilitator, ["Listen."], agreeing=[cast.facilitator, cast.peer])
    text = origin(html_of(client_for(cast.peer).get(gr.url("home", group))))
    day = f"{version.closed_at:%-d %B %Y}"
    assert "Written by The draft was started by Fay Facilitator." in text
    assert "Who the group wanted to write them The whole group, together" in text
    assert f"Put to the group On {version.round_opened_at:%-d %B %Y}, by Fay Facilitator." in text
    assert f"Agreed Agreed by all 2 members on {day}. Adopted by Fay Facilitator." in text
    assert "Who upholds them now Facilitators" in text


def test_the_suggestions_behind_a_version_are_credited_to_it_alone(cast, client_for, gr):
    group = cast.group_a
    sam = make_user("Sam Sharer")
    add_member(group, sam)
    early = suggest(gr, group, cast.peer, "Be on time.")
    services.accept_proposal(proposal=early, by=cast.facilitator, link=gr.LINK)
    gr.adopt(group, cast.facilitator, None, agreeing=[cast.facilitator, cast.peer, sam])

    for by, text in [(sam, "Tea at the break."), (cast.peer, "Phones away.")]:
        services.accept_proposal(
            proposal=suggest(gr, group, by, text), by=cast.facilitator, link=gr.LINK
        )
    declined = suggest(gr, group, make_user("Dee Declined"), "No rules.")
    services.decline_proposal(proposal=declined, by=cast.facilitator, reason="No.", link=gr.LINK)
    group.upheld_by = Group.UpheldBy.EVERYONE
    group.save()
    gr.adopt(group, cast.facilitator, None, agreeing=[cast.facilitator, cast.peer, sam])
    later = suggest(gr, group, sam, "After the round.")
    services.accept_proposal(proposal=later, by=cast.peer, link=gr.LINK)

    text = origin(html_of(client_for(cast.peer).get(gr.url("home", group))))
    assert (
        "Written by Sam Sharer, Pat Peer, whose 2 suggestions were accepted into the draft by "
        "Fay Facilitator. The draft was started by Fay Facilitator." in text
    )
    assert "Dee Declined" not in text
    assert "Who upholds them now Everyone in the group, together" in text
