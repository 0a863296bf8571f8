"""A small browser for the drill: cookies, forms as a page offers them, and the CSRF token.

Each virtual person has one `Browser`. It speaks plain HTTP to one server at a time
(the drill sends the person to either server, as a load balancer would) and, like a
browser, posts what the page's form holds, with the person's answers put over it.
"""

import http.client
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

TIMEOUT = 15  # seconds; gunicorn's own timeout is 30


@dataclass
class Form:
    action: str
    fields: dict = field(default_factory=dict)  # name: value, as the page would post it
    choices: dict = field(default_factory=dict)  # name: [values offered] (radio, select)
    hx: dict = field(default_factory=dict)  # hx-post url inside the form: [names it posts]


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.form, self.textarea, self.select = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.form = Form(action=a.get("action") or "")
            self.forms.append(self.form)
            return
        if self.form is not None and "hx-post" in a and "hx-params" in a:
            self.form.hx[a["hx-post"]] = [n.strip() for n in a["hx-params"].split(",")]
        if tag == "option" and self.form is not None and self.select:
            self.form.choices[self.select].append(a.get("value", ""))
            if "selected" in a or self.select not in self.form.fields:
                self.form.fields[self.select] = a.get("value", "")
            return
        if self.form is None or not a.get("name"):
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                self.form.choices.setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    self.form.fields[name] = a.get("value", "on")
            elif kind not in ("submit", "button", "image", "reset"):
                self.form.fields[name] = a.get("value", "")
        elif tag == "textarea":
            self.textarea = name
            self.form.fields[name] = ""
        elif tag == "select":
            self.select = name
            self.form.choices[name] = []

    def handle_data(self, data):
        if self.form is not None and self.textarea:
            self.form.fields[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.form = None


def forms(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


@dataclass
class Response:
    status: int
    headers: dict
    text: str

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


class Browser:
    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.conn = None

    def use(self, port: int):
        """Go on with the next request to another server (as a load balancer might)."""
        if port != self.port:
            self.close()
            self.port = port

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method: str, path: str, data: dict | None = None, headers=None):
        body = urlencode(data, doseq=True) if data is not None else None
        sent = {"Host": f"{self.host}:{self.port}", "User-Agent": "safespace-drill"}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Origin"] = f"http://{self.host}:{self.port}"
            sent["Referer"] = f"http://{self.host}:{self.port}{path}"
        sent.update(headers or {})
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        try:
            self.conn.request(method, path, body=body, headers=sent)
            raw = self.conn.getresponse()
            text = raw.read().decode("utf-8", "replace")
        except Exception:
            self.close()
            raise
        for header in raw.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        response = Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, text)
        if raw.headers.get("Connection", "").lower() == "close":
            self.close()
        return response

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def submit(self, page: Response, path: str, values: dict) -> Response:
        """Post the form of `page` that posts to `path` (or to the page itself), with
        `values` over what the form holds."""
        form = next(f for f in forms(page.text) if f.action in ("", path))
        return self.request("POST", path, {**form.fields, **values})

    def hx_post(self, page: Response, url: str, values: dict) -> Response:
        """What htmx posts for an element with hx-post=url: only the names it lists."""
        form = next(f for f in forms(page.text) if url in f.hx)
        names = form.hx[url]
        data = {n: form.fields.get(n, "") for n in names} | values
        token = self.cookies.get("csrftoken", "")
        return self.request("POST", url, data, {"HX-Request": "true", "X-CSRFToken": token})

    def sign_in(self, email: str, password: str) -> bool:
        page = self.get("/accounts/login/")
        done = self.submit(page, "/accounts/login/", {"username": email, "password": password})
        return done.status == 302


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def flash(text: str) -> str:
    """The words of the page's status messages (Django's messages), for the drill's log."""
    found = re.findall(r'class="alert[^"]*"[^>]*>(.*?)</div>', text, re.S)
    return " ".join(re.sub(r"<[^>]+>|\s+", " ", m).strip() for m in found)
