"""Reading responses in tests: the visible text of a page, its tables, its sections.

`tables(html)` reads the rows of every table of a page as lists of cells (text and
links); `dashboard_rows(response)` maps each group's name on the dashboard to its
cells, so a test can assert every figure.
"""

import re
from html import unescape
from html.parser import HTMLParser

from django.contrib.messages import get_messages


def body(response) -> bytes:
    """The response's bytes; a streamed one (the dashboard's CSV) is read to its end, once."""
    if not response.streaming:
        return response.content
    if not hasattr(response, "read_body"):
        response.read_body = b"".join(response.streaming_content)
    return response.read_body


def html(response) -> str:
    return body(response).decode()


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def squeeze(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


class _Tables(HTMLParser):
    """Rows of every table: each row a list of cells, each cell its text and links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables = []
        self.in_cell = False
        self.link = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"head": [], "body": []})
        elif tag == "tr" and self.tables:
            self.tables[-1]["body"].append([])
        elif tag in ("td", "th") and self.tables and self.tables[-1]["body"]:
            self.tables[-1]["body"][-1].append({"text": "", "links": []})
            self.in_cell = True
        elif tag == "a" and self.in_cell:
            self.link = {"href": dict(attrs).get("href", ""), "text": ""}
        if self.in_cell and tag in ("span", "li", "br", "strong", "a"):
            self._add(" ")

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            cell = self.tables[-1]["body"][-1][-1]
            cell["text"] = squeeze(cell["text"])
            self.in_cell = False
        elif tag == "a" and self.link is not None:
            self.link["text"] = squeeze(self.link["text"])
            self.tables[-1]["body"][-1][-1]["links"].append(self.link)
            self.link = None
        elif tag in ("span", "li", "strong") and self.in_cell:
            self._add(" ")

    def handle_data(self, data):
        if self.in_cell:
            self._add(data)
            if self.link is not None:
                self.link["text"] += data

    def _add(self, text):
        self.tables[-1]["body"][-1][-1]["text"] += text


def tables(page: str):
    """Every table of the page: a list of rows, each a list of cells ({text, links})."""
    parser = _Tables()
    parser.feed(page)
    return [[row for row in t["body"] if row] for t in parser.tables]


def table_texts(page: str, index=0):
    """The rows of the page's `index`th table as lists of cell texts, header row included."""
    return [[cell["text"] for cell in row] for row in tables(page)[index]]


def dashboard_rows(response):
    """{group name: [format, members, rules, review, being, feeling, peers, actions,
    breaches, needs attention]} from the dashboard table, in page order."""
    rows = {}
    for row in tables(html(response))[0][1:]:
        head = row[0]
        if not head["links"]:  # "No groups match."
            continue
        rows[head["links"][0]["text"]] = [cell["text"] for cell in row[1:]]
    return rows


def row_order(response):
    """Group names in the order the dashboard lists them."""
    return list(dashboard_rows(response))


def text(response) -> str:
    """The page's visible text, tags stripped and whitespace squeezed."""
    body = re.sub(r"<script.*?</script>|<style.*?</style>", " ", html(response), flags=re.S)
    return visible(body)


def visible(markup: str) -> str:
    """Text of some HTML: tags become spaces, without spaces before punctuation."""
    words = squeeze(unescape(re.sub(r"<[^>]+>", " ", markup)))
    return re.sub(r"\( ", "(", re.sub(r" ([,.:;)])", r"\1", words))


def section(response, heading_id: str) -> str:
    """The HTML of the <section> labelled by `heading_id` (home page groups, trends)."""
    match = re.search(
        rf'<section aria-labelledby="{re.escape(heading_id)}".*?</section>',
        html(response),
        flags=re.S,
    )
    assert match, f"no section labelled {heading_id}"
    return match.group(0)


def section_text(response, heading_id: str) -> str:
    return visible(section(response, heading_id))


def base_of(response) -> str:
    """The stamp an edit form carries (its hidden `base` field): what the person started from."""
    found = re.search(r'<input type="hidden" name="base"(?: value="([^"]*)")?', html(response))
    assert found, "no base field on the page"
    return unescape(found.group(1) or "")
