// Sign-in: a partner with its OAuth client (client credentials at the token route), or the operator
// with the admin token. Neither secret is kept: the partner's token is, in sessionStorage, until it expires.
import { signInOperator, signInPartner } from '../api.js';
import { announce, field, h, heading, problem } from '../dom.js';

export function signInView(done) {
  const error = h('p', { class: 'error', role: 'alert' });
  const busy = async (form, work) => {
    error.textContent = '';
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      await work();
      announce('Signed in.');
      done();
    } catch (err) {
      error.textContent = err.status === 401 || err.status === 400 ? 'Those credentials were refused.' : `Sign-in failed: ${problem(err)}`;
    } finally {
      button.disabled = false;
    }
  };

  const clientId = h('input', { name: 'client_id', autocomplete: 'username', required: true, spellcheck: 'false' });
  const clientSecret = h('input', { name: 'client_secret', type: 'password', autocomplete: 'current-password', required: true });
  const partnerForm = h(
    'form',
    { class: 'card', 'aria-labelledby': 'partner-title' },
    h('h2', { id: 'partner-title' }, 'Partner'),
    h('p', { class: 'muted' }, 'Your OAuth client. The demo’s is printed by npm start and kept in data/demo.json.'),
    field('Client ID', clientId),
    field('Client secret', clientSecret),
    h('button', { type: 'submit' }, 'Sign in as partner'),
  );
  partnerForm.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(partnerForm, () => signInPartner(clientId.value.trim(), clientSecret.value));
  });

  const adminToken = h('input', { name: 'admin_token', type: 'password', autocomplete: 'off', required: true });
  const operatorForm = h(
    'form',
    { class: 'card', 'aria-labelledby': 'operator-title' },
    h('h2', { id: 'operator-title' }, 'Operator'),
    h('p', { class: 'muted' }, 'The server’s FLEETGATE_ADMIN_TOKEN: every partner’s rows.'),
    field('Admin token', adminToken),
    h('button', { type: 'submit' }, 'Sign in as operator'),
  );
  operatorForm.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(operatorForm, () => signInOperator(adminToken.value));
  });

  return h('section', { class: 'signin' }, heading('Sign in'), error, h('div', { class: 'cards' }, partnerForm, operatorForm));
}
