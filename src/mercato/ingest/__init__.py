"""Getting articles in: files, HTML, feeds, WARC archives and corpora. Everything here is I/O."""
