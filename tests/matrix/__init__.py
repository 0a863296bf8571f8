"""Role × URL permission matrix.

Every URL pattern of our apps is requested with GET and with POST by each member
of the cast, pointed at group A / organisation A objects. The expected outcome
of each (URL, method, role) is written in table.py, one line per URL and method;
what each URL is pointed at, what a POST sends, what a 200 page shows and what a
successful action did are the page specs (pages_*.py, effects_*.py). For every
request, test_matrix.py also checks that:

- a refusal (sign-in redirect, 403, 404, 405) changed nothing in the
  database, sent no email and does not name group A, its organisation or its
  purpose — not in the page, not in a redirect;
- an outsider's refusal cannot be told apart from the answer for a group or
  organisation that does not exist;
- no page ever shows another cast member's email address, and outsiders never
  see group A's name, purpose, organisation or members on any page;
- only facilitators and coordinators ever see what is in the breach log, a
  venue check's notes, its actions or peers' anonymous comments;
- a page that answers 200 shows what it is for and changed nothing;
- an action that succeeds ("done") really happened (the row's effect check).

Every case starts from the same world (world.py), built once per test module and
rolled back at its end; each case runs in a savepoint of its own, on a fresh copy
of the world's objects (conftest.py).

test_completeness.py fails when a URL pattern is added without a line in the
table. The cast's members have answered group A's current ground rules;
`test_newcomer_gate_sends_members_who_have_not_answered_to_the_rules` covers a
peer who has not.
"""
