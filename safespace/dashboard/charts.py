"""Bar charts drawn on the server as SVG geometry: no JavaScript, nothing inline to run."""

from django.utils.formats import date_format

WIDTH, HEIGHT, TOP, BOTTOM, LEFT = 640, 220, 10, 30, 36


def bar_chart(points, series, maximum=None):
    """`series`: list of (key, label, css class). Returns what the SVG template draws."""
    values = [p[key] for p in points for key, _l, _c in series if p[key] is not None]
    top = maximum or max([*values, 1])
    plot_h = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT) / max(len(points), 1)
    bar_w = slot * 0.8 / len(series)
    bars, labels = [], []
    for i, point in enumerate(points):
        x0 = LEFT + i * slot + slot * 0.1
        for j, (key, label, css) in enumerate(series):
            value = point[key]
            if value is None:
                continue
            h = plot_h * value / top
            bars.append(
                {
                    "x": round(x0 + j * bar_w, 1),
                    "y": round(TOP + plot_h - h, 1),
                    "w": round(bar_w - 1, 1),
                    "h": round(h, 1),
                    "css": css,
                    "title": f"{label}, {date_format(point['month'], 'M Y')}: {value}",
                }
            )
        labels.append({"x": round(x0 + slot * 0.4, 1), "text": date_format(point["month"], "M")})
    gridlines = [
        {"y": round(TOP + plot_h - plot_h * f, 1), "label": round(top * f)} for f in (0, 0.5, 1)
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "bars": bars,
        "labels": labels,
        "grid": gridlines,
        "left": LEFT,
        "baseline": HEIGHT - BOTTOM + 16,
        "series": series,
    }
