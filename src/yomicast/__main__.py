from yomicast.cli import app

app(prog_name="yomicast")
