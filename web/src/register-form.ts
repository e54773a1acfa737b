import { sendJson } from './api.js';
import { toast } from './clipboard.js';
import { fill, h } from './dom.js';
import type { Job, JobRequest } from './types.js';

/**
 * Expect a job (`POST /api/jobs`): its id, a label and a time to live, and, folded, the provider's
 * status endpoint to poll beside the webhook (`expect --poll`): its URL with {jobId}, how often,
 * the grace the webhook has after the provider says done, headers and where the status word is.
 * A 4xx's `{error}` shows under the form, in one line.
 */
export function registerForm(): HTMLFormElement {
  const input = (name: string, label: string, placeholder: string, cls = '') =>
    h('input', { class: cls, attrs: { name, placeholder, autocomplete: 'off', spellcheck: 'false', 'aria-label': label } });
  const id = input('id', 'job id', 'job id');
  id.required = true;
  const label = input('label', 'label', 'label (optional)');
  const ttl = input('ttl', 'time to live, such as 30m or 7d', 'ttl 7d', 'ttl');
  const url = input('poll', 'status URL to poll, {jobId} filled in', 'https://api.example.com/jobs/{jobId}', 'poll-url');
  url.type = 'url';
  const every = input('every', 'poll every, such as 30s', '30s', 'poll-every');
  const grace = input('grace', 'grace for the webhook after the provider says done, such as 2m', '2m', 'poll-grace');
  const statusPath = input(
    'statusPath',
    'where the status word is, such as body.data.state (optional)',
    'status at: body.data.state (optional)',
    'poll-status',
  );
  const headers = h('textarea', {
    class: 'poll-headers',
    attrs: {
      name: 'headers',
      rows: '2',
      spellcheck: 'false',
      placeholder: 'Authorization: Bearer $API_KEY',
      'aria-label': 'headers to send, one "Name: value" a line',
    },
  });
  const error = h('p', { class: 'note error register-error', attrs: { role: 'alert' } });
  const details = h(
    'details',
    { class: 'poll-fields' },
    h('summary', null, 'Poll the provider too'),
    h(
      'div',
      { class: 'poll-body' },
      url,
      h(
        'div',
        { class: 'poll-row' },
        h('label', { title: 'ask this often at first (slower while nothing changes)' }, 'every ', every),
        h('label', { title: 'how long after the provider says done the webhook may take before the job is flagged webhook lost' }, 'grace ', grace),
      ),
      statusPath,
      headers,
      h(
        'p',
        { class: 'note' },
        'Headers: one "Name: value" a line. ',
        h('code', null, '$NAME'),
        ' reads that variable where hook-catch runs, so the secret is never stored or shown; a literal secret is kept in memory only (gone after a restart).',
      ),
    ),
  );
  const form = h(
    'form',
    { class: 'register', attrs: { 'aria-label': 'register a job', novalidate: '' } },
    h('div', { class: 'register-row' }, id, label, ttl, h('button', { attrs: { type: 'submit' } }, 'Expect')),
    details,
    error,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    fill(error);
    const body: JobRequest = { id: id.value.trim() };
    if (!body.id) return fill(error, 'Give the job id your API answered with.');
    if (label.value.trim()) body.label = label.value.trim();
    if (ttl.value.trim()) body.ttl = ttl.value.trim();
    if (url.value.trim()) {
      body.poll = {
        url: url.value.trim(),
        headers: headers.value
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean),
      };
      if (every.value.trim()) body.poll.every = every.value.trim();
      if (grace.value.trim()) body.poll.grace = grace.value.trim();
      if (statusPath.value.trim()) body.poll.statusPath = statusPath.value.trim();
    } else if (headers.value.trim() || every.value.trim() || grace.value.trim() || statusPath.value.trim()) {
      return fill(error, 'Give the status URL to poll (with {jobId}), or clear the poll fields.');
    }
    try {
      const job = await sendJson<Job>('POST', '/api/jobs', body);
      toast(job.poll ? `Expecting job ${job.id}, polling its status` : `Expecting job ${job.id}`);
      form.reset();
      details.open = false;
    } catch (e) {
      fill(error, firstLine((e as Error).message));
    }
  });
  return form;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
