// The review screens' one script. A button with data-post sends its data-body (JSON, with the
// reason typed in #why, if any) to the server, then opens data-next, or shows the server's one-line
// error in #outcome. Every page that only shows works without it.
"use strict";

document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-post]");
  if (!button) return;
  event.preventDefault();
  const body = JSON.parse(button.dataset.body || "{}");
  const why = document.getElementById("why");
  if (why && why.value.trim()) body.why = why.value.trim();
  const outcome = document.getElementById("outcome");
  button.disabled = true;
  outcome.className = "outcome";
  outcome.textContent = "Working…";
  try {
    const response = await fetch(button.dataset.post, {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify(body),
    });
    const answer = await response.json();
    if (response.ok) {
      location.assign(button.dataset.next);
      return;
    }
    outcome.className = "outcome error";
    outcome.textContent = answer.error;
  } catch (error) {
    outcome.className = "outcome error";
    outcome.textContent = "No answer from the server: " + error.message;
  }
  button.disabled = false;
});

// Scroll each candidate's page so that its marked span shows.
for (const mark of document.querySelectorAll(".page-text mark")) {
  mark.parentElement.scrollTop = Math.max(0, mark.offsetTop - 60);
}
