"""`make drill`: two app servers and a worker on one PostgreSQL, a scripted mix of people
across both, PostgreSQL restarted in the middle, and afterwards a check that nothing the
app acknowledged was lost and no email went twice (docs/deploy.md, "The drill")."""
