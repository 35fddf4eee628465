// Staff sign-in and enrolment; a signed-in member goes to their role's page.
'use strict';

function pageFor(role) {
  return role === 'reviewer' ? '/review' : '/console';
}

(async () => {
  const me = await earshot.session().catch(() => null);
  if (me) location.replace(pageFor(me.role));
})();

document.getElementById('signin').addEventListener('submit', async (e) => {
  e.preventDefault();
  const error = document.getElementById('si-error');
  error.textContent = '';
  try {
    const res = await earshot.call('POST', '/api/v1/staff/sign-in', {
      name: document.getElementById('si-name').value,
      password: document.getElementById('si-password').value,
      code: document.getElementById('si-code').value.trim(),
    });
    location.href = pageFor(res.role);
  } catch (err) {
    error.textContent = err.code === 'locked' ? err.message : 'Wrong name, password or code.';
    document.getElementById('si-code').value = '';
  }
});

document.getElementById('enrol').addEventListener('submit', async (e) => {
  e.preventDefault();
  const status = document.getElementById('en-status');
  status.className = '';
  try {
    await earshot.call('POST', '/api/v1/staff/enrol', {
      name: document.getElementById('en-name').value,
      enrolment_secret: document.getElementById('en-secret').value.trim(),
      password: document.getElementById('en-password').value,
      code: document.getElementById('en-code').value.trim(),
    });
    status.className = 'okmsg';
    status.textContent = 'Done. Sign in above with your new password and the next code.';
  } catch (err) {
    status.className = 'error';
    status.textContent = err.message;
  }
});
