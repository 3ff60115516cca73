/** Dev: the mail the embedded default captured instead of sending (404 when SMTP_URL is set). */
import { error } from '@sveltejs/kit';
import { ApiError, getJson } from '$lib/api';
import type { PageServerLoad } from './$types';

interface Mail {
  id: string;
  to: string;
  subject: string;
  text: string;
  messageId: string;
  inReplyTo?: string;
  status: string;
  createdAt: string;
}

export const load: PageServerLoad = async ({ fetch }) => {
  try {
    return { mail: (await getJson<{ items: Mail[] }>(fetch, '/api/v1/dev/mail')).items };
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) error(404, { message: 'Mail is sent through SMTP here; nothing is captured.' });
    throw e;
  }
};
