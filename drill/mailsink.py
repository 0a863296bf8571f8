"""A mail server for the drill: speaks enough SMTP for Django's backend and keeps every
message it is given, so the drill can count what was sent."""

import socketserver
import threading
from email import message_from_bytes, policy


class Sink(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port=0):
        super().__init__(("127.0.0.1", port), _Session)
        self.messages = []  # (message_id, to, subject, body)
        self.lock = threading.Lock()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def start(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def keep(self, recipients, raw: bytes):
        message = message_from_bytes(raw, policy=policy.default)
        body = message.get_body(("plain",))
        text = body.get_content() if body is not None else ""
        with self.lock:
            for to in recipients:
                self.messages.append(
                    (str(message["Message-ID"] or ""), to, str(message["Subject"]), text)
                )


class _Session(socketserver.StreamRequestHandler):
    def reply(self, line: str):
        self.wfile.write(line.encode("ascii") + b"\r\n")

    def handle(self):
        self.reply("220 drill sink ready")
        recipients = []
        while line := self.rfile.readline(8192):
            command = line.decode("ascii", "replace").strip()
            verb = command[:4].upper()
            if verb == "EHLO":
                self.reply("250-drill sink")
                self.reply("250 8BITMIME")
            elif verb == "HELO":
                self.reply("250 drill sink")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while (chunk := self.rfile.readline(65536)) not in (b".\r\n", b".\n", b""):
                    lines.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                self.server.keep(recipients, b"".join(lines))
                self.reply("250 OK: kept")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:  # RSET, NOOP and anything else
                self.reply("250 OK")
