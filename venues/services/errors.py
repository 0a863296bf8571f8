"""The error venues' state changes refuse with: its message is for the person who asked."""


class VenueError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message
