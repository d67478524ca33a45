// Check-in in a "location" session: add the phone's position (Geolocation API) to the form before it is
// sent. The server decides; without a position it answers with what to do. A position reported by a
// browser can be faked by a determined user: this is the weakest of the check-in modes.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-needs-location]");
  if (!form || form.dataset.located === "1") return;
  event.preventDefault();
  const send = () => {
    form.dataset.located = "1";
    form.submit();
  };
  const status = form.querySelector("[data-location-status]");
  if (status) status.textContent = form.dataset.locating;
  if (!("geolocation" in navigator)) return send();
  navigator.geolocation.getCurrentPosition(
    (position) => {
      form.elements.lintang.value = position.coords.latitude;
      form.elements.bujur.value = position.coords.longitude;
      form.elements.akurasi.value = position.coords.accuracy;
      send();
    },
    send, // refused or unavailable: the server says how to allow it
    { enableHighAccuracy: true, timeout: 15000, maximumAge: 0 },
  );
});
