"""After the day (issue 15): each action's follow-up (personal links, a status history) and its view.

`progress` reads the follow-up (shared by the pages and the compte rendu); `domain` holds the rules
(links, updates); `routes` the pages; `mail` the optional SMTP sending."""
