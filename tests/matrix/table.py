"""The role × URL permission matrix: the expected outcome of every request.

Every URL pattern of our apps is requested with GET and with POST by each member
of the cast, pointed at group A / organisation A objects. The expected outcome
of each (URL, method, role) is written in MATRIX below, one line per URL and
method; test_matrix.py makes the requests and checks the invariants described
in tests/matrix/__init__.py.
"""

ROLES = ("anonymous", "coordinator", "facilitator", "peer", "other_coordinator", "other_peer")
OUTSIDERS = ("other_coordinator", "other_peer")
INSIDERS = ("coordinator", "facilitator", "peer")

# Outcomes:
#   200      the page is shown (its content is checked); nothing changes
#   done     the action succeeds: a redirect, and the row's effect check passes
#   login    302 to the sign-in page with ?next=<this URL>; nothing changes
#   to_home  302 to the home page (the sign-in page for someone signed in); nothing changes
#   to_dash  302 to the safety dashboard of the organisation this person coordinates;
#            nothing changes
#   403      refused to someone who may see the group, or an invitation link
#            opened by the wrong account; nothing changes
#   404      refused as if the group/organisation did not exist; nothing changes
#   405      method not allowed (POST-only or GET-only URL); nothing changes
#   400      a request the view cannot use (a passkey ceremony never begun); nothing changes
#
# Notes on lines that are not the headline rule ("outsiders 404"):
# - restore, invitation_revoke and coordinator_invitation_revoke are POST-only
#   (require_POST), which answers 405 to a GET before anything is looked up: the
#   same answer as for a group that does not exist (checked), so nothing leaks.
#   groups:audit (the organisation's audit trail) is GET-only (require_safe): a POST
#   is 405 before anything is looked up, in the same way.
# - leave: a coordinator who is not a member has nothing to leave: 403.
# - delete_account: each coordinator in the cast is the only one of their organisation, so
#   the page tells them to hand it on first and a POST deletes nothing (200).
# - organisation pages are for coordinators only: a facilitator or peer of a
#   group in the organisation gets 404, like any outsider.
# - invitation_accept is opened by whoever holds the link. The cast's
#   invitation is for a newcomer, so everyone signed in gets "this invitation
#   is for someone else" (403, naming nothing); anonymous signs up and joins.
# - password_reset_confirm uses a valid link for the peer: any holder of the
#   link may set the peer's password (that is what the link is for).
# - Ground rules (groundrules:*), in group A, which leaves upholding the rules
#   to facilitators: see world.py, _ground_rules, for the rows every URL points at.
#   Coordinators of organisation A read everything, the breach log included,
#   and record and delete breaches; they are not members, so proposing,
#   commenting, answering, getting started, editing the draft, deciding
#   suggestions, running rounds and recording reviews are 403 to them. Peers
#   read everything but the breach log (403) and may propose, comment and
#   answer. POST to a page that only shows something answers like GET (200,
#   nothing changes); the POST-only URLs answer 405 to GET, as above.
# - groundrules:starters first removes group A's ground rules (versions,
#   reviews, breach records): starters are for a group's first draft only.
# - groundrules:round_open first withdraws version 2 (only one version can be
#   with the group at a time); groundrules:draft_new first removes the draft
#   (with a draft, "start a draft" hands back the one there is).
# - home: a coordinator who is in no group and coordinates one organisation
#   is sent to that organisation's safety dashboard (to_dash).
# - Venues (venues:*) and the safety pages, pointed at organisation A's
#   library, group A's room (used by group A), its submitted checks (the
#   latest with a No, and an action from it), the check in progress and this
#   quarter's anonymous answers: see world.py, _venues. The library, the questions, the
#   dashboard (and its CSV and print view) and the trends are organisation
#   pages: 404 to anyone but its coordinators. A venue's page, and keeping its
#   details, are for the organisation's coordinators and the facilitators of a
#   group that meets there; anyone else gets 404. Facilitators and coordinators
#   add a venue for group A (venues:venue_add), into organisation A's library.
#   In group A, peers see where the group meets and answer the anonymous
#   check (a member's answer: the facilitator too, the coordinator is not a
#   member: 403); checks, actions, peers' answers, choosing venues and the
#   safety page are for facilitators and coordinators (403 to peers).
# - venues:start first removes the check in progress (else it is resumed, and
#   nothing is created); venues:answer saves one answer of the check in
#   progress (htmx answers with the words beside it; without htmx, back to the
#   section); venues:submit asks to confirm (GET) and submits (POST)
#   the check in progress, which has every question answered. venues:reopen
#   first removes the check in progress (a venue has one check open at a time)
#   and reopens the latest check: only the facilitator who submitted it may
#   (the coordinator: 403).
# - Private messages (groups:concern_new, groups:concerns, groups:concern): any member
#   of group A writes one (the coordinator is not a member: 403); its facilitators and
#   organisation A's coordinators open the list of those sent to them (a peer: 403).
#   groups:concern points at the open message to the facilitators: only they read it
#   (and follow it up); to everyone else it does not exist (404), the coordinators
#   included. The message to the coordinators is read only by them (test_matrix checks
#   both texts on every page). tests/groups/test_concerns.py walks both messages.
# - Lists of help: a group's is kept by its facilitators and the coordinators (a peer:
#   403); the organisation's by its coordinators only (an organisation page: 404 to
#   anyone else). groups:help_remove and groups:org_help_remove are POST-only.
# - The second factor (security_*, otp_webauthn:*; nobody in the cast has one, and
#   the suite's MFA_REQUIRED_FOR is empty, so nobody is held at the verify or set-up
#   pages): verify has nothing to ask and goes home; set-up and recovery codes explain
#   (recovery codes need an app or a passkey first: a POST makes none). security_app
#   first gives every cast member an app they have started to add, and the POST
#   confirms it with its code; security_remove points at someone else's app: 404 to
#   everyone, as for one that does not exist. The passkey endpoints
#   (django-otp-webauthn's JSON views) are POST-only; "begin" starts a ceremony (its
#   state kept in the session: done), "complete" with none begun is refused with 400
#   (nothing changes). The script's strings (js-i18n-catalog) are GET-only.
#   tests/matrix/test_second_factor_gate.py walks every URL again as a coordinator
#   who must use a second factor and has not given it.
# - The admin site is excluded from the matrix: it is Django's own, reachable
#   only by staff accounts (none in the cast), behind its own sign-in;
#   test_admin_site_refuses_the_cast checks that nobody in the cast gets in.
MATRIX = """
url name                             method anon    coord   facil   peer    o_coord o_peer
home                                 GET    login   to_dash 200     200     to_dash 200
home                                 POST   login   to_dash 200     200     to_dash 200
privacy                              GET    200     200     200     200     200     200
privacy                              POST   405     405     405     405     405     405
help                                 GET    200     200     200     200     200     200
help                                 POST   200     200     200     200     200     200
healthz                              GET    200     200     200     200     200     200
healthz                              POST   405     405     405     405     405     405
account                              GET    login   200     200     200     200     200
account                              POST   login   done    done    done    done    done
own_data                             GET    login   200     200     200     200     200
own_data                             POST   login   done    done    done    done    done
own_data_download                    GET    login   405     405     405     405     405
own_data_download                    POST   login   done    done    done    done    done
delete_account                       GET    login   200     200     200     200     200
delete_account                       POST   login   200     done    done    200     done
sign_out_everywhere                  GET    login   405     405     405     405     405
sign_out_everywhere                  POST   login   done    done    done    done    done
security_verify                      GET    login   to_home to_home to_home to_home to_home
security_verify                      POST   login   to_home to_home to_home to_home to_home
security_setup                       GET    login   200     200     200     200     200
security_setup                       POST   login   200     200     200     200     200
security_app_start                   GET    login   405     405     405     405     405
security_app_start                   POST   login   done    done    done    done    done
security_app                         GET    login   200     200     200     200     200
security_app                         POST   login   done    done    done    done    done
security_recovery_codes              GET    login   200     200     200     200     200
security_recovery_codes              POST   login   200     200     200     200     200
security_remove                      GET    login   404     404     404     404     404
security_remove                      POST   login   404     404     404     404     404
otp_webauthn:credential-registration-begin         GET    login   405   405   405   405   405
otp_webauthn:credential-registration-begin         POST   login   done  done  done  done  done
otp_webauthn:credential-registration-complete      GET    login   405   405   405   405   405
otp_webauthn:credential-registration-complete      POST   login   400   400   400   400   400
otp_webauthn:credential-authentication-begin       GET    login   405   405   405   405   405
otp_webauthn:credential-authentication-begin       POST   login   done  done  done  done  done
otp_webauthn:credential-authentication-complete    GET    login   405   405   405   405   405
otp_webauthn:credential-authentication-complete    POST   login   400   400   400   400   400
otp_webauthn:js-i18n-catalog                       GET    login   200   200   200   200   200
otp_webauthn:js-i18n-catalog                       POST   login   405   405   405   405   405
login                                GET    200     to_home to_home to_home to_home to_home
login                                POST   done    to_home to_home to_home to_home to_home
logout                               GET    login   405     405     405     405     405
logout                               POST   login   done    done    done    done    done
password_change                      GET    login   200     200     200     200     200
password_change                      POST   login   done    done    done    done    done
password_change_done                 GET    login   200     200     200     200     200
password_change_done                 POST   login   405     405     405     405     405
password_reset                       GET    200     200     200     200     200     200
password_reset                       POST   done    done    done    done    done    done
password_reset_done                  GET    200     200     200     200     200     200
password_reset_done                  POST   405     405     405     405     405     405
password_reset_confirm               GET    done    done    done    done    done    done
password_reset_confirm               POST   done    done    done    done    done    done
password_reset_complete              GET    200     200     200     200     200     200
password_reset_complete              POST   405     405     405     405     405     405
invitation_accept                    GET    200     403     403     403     403     403
invitation_accept                    POST   done    403     403     403     403     403
groups:list                          GET    login   200     200     200     200     200
groups:list                          POST   login   200     200     200     200     200
groups:detail                        GET    login   200     200     200     404     404
groups:detail                        POST   login   200     200     200     404     404
groups:edit                          GET    login   200     200     403     404     404
groups:edit                          POST   login   done    done    403     404     404
groups:archive                       GET    login   200     403     403     404     404
groups:archive                       POST   login   done    403     403     404     404
groups:restore                       GET    login   405     405     405     405     405
groups:restore                       POST   login   done    403     403     404     404
groups:members                       GET    login   200     200     200     404     404
groups:members                       POST   login   200     200     200     404     404
groups:member_remove                 GET    login   200     200     403     404     404
groups:member_remove                 POST   login   done    done    403     404     404
groups:leave                         GET    login   403     200     200     404     404
groups:leave                         POST   login   403     done    done    404     404
groups:invitations                   GET    login   200     200     403     404     404
groups:invitations                   POST   login   done    done    403     404     404
groups:invitation_revoke             GET    login   405     405     405     405     405
groups:invitation_revoke             POST   login   done    done    403     404     404
groups:concern_new                   GET    login   403     200     200     404     404
groups:concern_new                   POST   login   403     done    done    404     404
groups:concerns                      GET    login   200     200     403     404     404
groups:concerns                      POST   login   200     200     403     404     404
groups:concern                       GET    login   404     200     404     404     404
groups:concern                       POST   login   404     done    404     404     404
groups:help_list                     GET    login   200     200     403     404     404
groups:help_list                     POST   login   done    done    403     404     404
groups:help_edit                     GET    login   200     200     403     404     404
groups:help_edit                     POST   login   done    done    403     404     404
groups:help_remove                   GET    login   405     405     405     405     405
groups:help_remove                   POST   login   done    done    403     404     404
groups:org_help_list                 GET    login   200     404     404     404     404
groups:org_help_list                 POST   login   done    404     404     404     404
groups:org_help_edit                 GET    login   200     404     404     404     404
groups:org_help_edit                 POST   login   done    404     404     404     404
groups:org_help_remove               GET    login   405     405     405     405     405
groups:org_help_remove               POST   login   done    404     404     404     404
groups:organisation                  GET    login   200     404     404     404     404
groups:organisation                  POST   login   200     404     404     404     404
groups:group_create                  GET    login   200     404     404     404     404
groups:group_create                  POST   login   done    404     404     404     404
groups:coordinators                  GET    login   200     404     404     404     404
groups:coordinators                  POST   login   done    404     404     404     404
groups:audit                         GET    login   200     404     404     404     404
groups:audit                         POST   login   405     405     405     405     405
groups:coordinator_invitation_revoke GET    login   405     405     405     405     405
groups:coordinator_invitation_revoke POST   login   done    404     404     404     404
groundrules:home                     GET    login   200     200     200     404     404
groundrules:home                     POST   login   200     200     200     404     404
groundrules:versions                 GET    login   200     200     200     404     404
groundrules:versions                 POST   login   200     200     200     404     404
groundrules:version                  GET    login   200     200     200     404     404
groundrules:version                  POST   login   200     200     200     404     404
groundrules:compare                  GET    login   200     200     200     404     404
groundrules:compare                  POST   login   200     200     200     404     404
groundrules:print                    GET    login   200     200     200     404     404
groundrules:print                    POST   login   200     200     200     404     404
groundrules:handout                  GET    login   200     200     200     404     404
groundrules:handout                  POST   login   200     200     200     404     404
groundrules:start                    GET    login   403     200     403     404     404
groundrules:start                    POST   login   403     done    403     404     404
groundrules:starters                 GET    login   403     200     403     404     404
groundrules:starters                 POST   login   403     done    403     404     404
groundrules:draft                    GET    login   200     200     200     404     404
groundrules:draft                    POST   login   200     200     200     404     404
groundrules:draft_new                GET    login   405     405     405     405     405
groundrules:draft_new                POST   login   403     done    403     404     404
groundrules:rule_add                 GET    login   403     200     403     404     404
groundrules:rule_add                 POST   login   403     done    403     404     404
groundrules:rule_edit                GET    login   403     200     403     404     404
groundrules:rule_edit                POST   login   403     done    403     404     404
groundrules:rule_delete              GET    login   403     200     403     404     404
groundrules:rule_delete              POST   login   403     done    403     404     404
groundrules:rule_move                GET    login   405     405     405     405     405
groundrules:rule_move                POST   login   403     done    403     404     404
groundrules:proposals                GET    login   200     200     200     404     404
groundrules:proposals                POST   login   200     200     200     404     404
groundrules:proposal_new             GET    login   403     200     200     404     404
groundrules:proposal_new             POST   login   403     done    done    404     404
groundrules:proposal                 GET    login   200     200     200     404     404
groundrules:proposal                 POST   login   200     200     200     404     404
groundrules:proposal_comment         GET    login   405     405     405     405     405
groundrules:proposal_comment         POST   login   403     done    done    404     404
groundrules:proposal_decide          GET    login   405     405     405     405     405
groundrules:proposal_decide          POST   login   403     done    403     404     404
groundrules:round_open               GET    login   405     405     405     405     405
groundrules:round_open               POST   login   403     done    403     404     404
groundrules:tracker                  GET    login   200     200     200     404     404
groundrules:tracker                  POST   login   200     200     200     404     404
groundrules:answer                   GET    login   403     200     200     404     404
groundrules:answer                   POST   login   403     done    done    404     404
groundrules:remind                   GET    login   405     405     405     405     405
groundrules:remind                   POST   login   403     done    403     404     404
groundrules:adopt                    GET    login   405     405     405     405     405
groundrules:adopt                    POST   login   403     done    403     404     404
groundrules:withdraw                 GET    login   405     405     405     405     405
groundrules:withdraw                 POST   login   403     done    403     404     404
groundrules:talked_about             GET    login   405     405     405     405     405
groundrules:talked_about             POST   login   403     done    403     404     404
groundrules:reviews                  GET    login   200     200     200     404     404
groundrules:reviews                  POST   login   403     done    403     404     404
groundrules:review_new               GET    login   403     200     403     404     404
groundrules:review_new               POST   login   403     done    403     404     404
groundrules:review                   GET    login   200     200     200     404     404
groundrules:review                   POST   login   200     200     200     404     404
groundrules:breaches                 GET    login   200     200     403     404     404
groundrules:breaches                 POST   login   done    done    403     404     404
groundrules:breach_delete            GET    login   200     200     403     404     404
groundrules:breach_delete            POST   login   done    done    403     404     404
dashboard                            GET    login   200     404     404     404     404
dashboard                            POST   login   200     404     404     404     404
dashboard_csv                        GET    login   200     404     404     404     404
dashboard_csv                        POST   login   200     404     404     404     404
dashboard_print                      GET    login   200     404     404     404     404
dashboard_print                      POST   login   200     404     404     404     404
trends                               GET    login   200     404     404     404     404
trends                               POST   login   200     404     404     404     404
safety                               GET    login   200     200     403     404     404
safety                               POST   login   200     200     403     404     404
session_card                         GET    login   200     200     200     404     404
session_card                         POST   login   200     200     200     404     404
session_card_print                   GET    login   200     200     200     404     404
session_card_print                   POST   login   200     200     200     404     404
venues:library                       GET    login   200     404     404     404     404
venues:library                       POST   login   200     404     404     404     404
venues:venue_new                     GET    login   200     404     404     404     404
venues:venue_new                     POST   login   done    404     404     404     404
venues:questions                     GET    login   200     404     404     404     404
venues:questions                     POST   login   200     404     404     404     404
venues:question_add                  GET    login   200     404     404     404     404
venues:question_add                  POST   login   done    404     404     404     404
venues:question_edit                 GET    login   200     404     404     404     404
venues:question_edit                 POST   login   done    404     404     404     404
venues:question_retire               GET    login   405     405     405     405     405
venues:question_retire               POST   login   done    404     404     404     404
venues:question_move                 GET    login   405     405     405     405     405
venues:question_move                 POST   login   done    404     404     404     404
venues:venue                         GET    login   200     200     404     404     404
venues:venue                         POST   login   200     200     404     404     404
venues:venue_edit                    GET    login   200     200     404     404     404
venues:venue_edit                    POST   login   done    done    404     404     404
venues:compare                       GET    login   200     200     404     404     404
venues:compare                       POST   login   200     200     404     404     404
venues:group                         GET    login   200     200     200     404     404
venues:group                         POST   login   200     200     200     404     404
venues:choose                        GET    login   200     200     403     404     404
venues:choose                        POST   login   done    done    403     404     404
venues:venue_add                     GET    login   200     200     403     404     404
venues:venue_add                     POST   login   done    done    403     404     404
venues:start                         GET    login   405     405     405     405     405
venues:start                         POST   login   done    done    403     404     404
venues:feedback                      GET    login   403     403     200     404     404
venues:feedback                      POST   login   403     403     done    404     404
venues:feedback_results              GET    login   200     200     403     404     404
venues:feedback_results              POST   login   200     200     403     404     404
venues:assessment                    GET    login   200     200     403     404     404
venues:assessment                    POST   login   200     200     403     404     404
venues:print                         GET    login   200     200     403     404     404
venues:print                         POST   login   200     200     403     404     404
venues:section                       GET    login   200     200     403     404     404
venues:section                       POST   login   done    done    403     404     404
venues:answer                        GET    login   405     405     405     405     405
venues:answer                        POST   login   done    done    403     404     404
venues:submit                        GET    login   200     200     403     404     404
venues:submit                        POST   login   done    done    403     404     404
venues:reopen                        GET    login   405     405     405     405     405
venues:reopen                        POST   login   403     done    403     404     404
venues:action_new                    GET    login   200     200     403     404     404
venues:action_new                    POST   login   done    done    403     404     404
venues:action                        GET    login   200     200     403     404     404
venues:action                        POST   login   done    done    403     404     404
"""

# Column headings of MATRIX: the cast fixture's role each stands for.
COLUMNS = {
    "anon": "anonymous",
    "coord": "coordinator",  # of organisation A
    "facil": "facilitator",  # of group A
    "peer": "peer",  # of group A
    "o_coord": "other_coordinator",  # of organisation B
    "o_peer": "other_peer",  # of group B
}
assert tuple(COLUMNS.values()) == ROLES

OUTCOMES = {"200", "done", "login", "to_home", "to_dash", "400", "403", "404", "405"}
REFUSALS = {"login", "400", "403", "404", "405"}


def parse(table):
    lines = [line.split() for line in table.strip().splitlines()]
    header, rows = lines[0], lines[1:]
    assert tuple(header[3:]) == tuple(COLUMNS), header
    parsed = {}
    for row in rows:
        assert len(row) == 2 + len(ROLES), row
        name, method, *outcomes = row
        assert method in ("GET", "POST"), row
        assert set(outcomes) <= OUTCOMES, row
        assert (name, method) not in parsed, f"duplicate line {name} {method}"
        parsed[name, method] = dict(zip(ROLES, outcomes, strict=True))
    return parsed


EXPECTED = parse(MATRIX)
URL_NAMES = sorted({name for name, _method in EXPECTED})
