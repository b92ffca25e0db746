"""Reports of an audit: text, HTML and plots (a face: it reads results, computes nothing)."""
