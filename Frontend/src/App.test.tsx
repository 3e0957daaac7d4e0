// @vitest-environment jsdom
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';
import { createFakeBackend } from './test/fakeBackend';

let backend: ReturnType<typeof createFakeBackend>;

beforeEach(() => {
  backend = createFakeBackend();
  vi.stubGlobal('fetch', backend.fetch);
  sessionStorage.clear();
  localStorage.clear();
  window.history.replaceState(null, '', '/');
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

async function signedInAs(email = 'ada@example.com') {
  backend.addUser(email, 'correct horse battery');
  backend.signIn(email);
  render(<App />);
  await screen.findByRole('heading', { name: 'Your tasks' });
}

describe('signing in and up', () => {
  it('shows each validation error next to its field, tied to it for screen readers', async () => {
    const user = userEvent.setup();
    render(<App />);
    await user.click(await screen.findByRole('button', { name: 'Sign in' }));

    const email = screen.getByLabelText('Email');
    expect(email).toHaveProperty('ariaInvalid', 'true');
    expect(document.getElementById(email.getAttribute('aria-describedby')!)?.textContent).toBe('Enter your email address.');
    expect(screen.getByLabelText('Password').getAttribute('aria-describedby')).toBe('auth-password-error');
    expect(document.activeElement).toBe(email);
  });

  it('says so when the email and password do not match', async () => {
    const user = userEvent.setup();
    backend.addUser('ada@example.com', 'correct horse battery');
    render(<App />);
    await user.type(await screen.findByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'wrong password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toContain('do not match');
  });

  it('creates an account and lands on an empty task list that says what to do', async () => {
    const user = userEvent.setup();
    render(<App />);
    await user.click(await screen.findByRole('button', { name: 'Create an account' }));
    await user.type(screen.getByLabelText('Email'), 'new@example.com');
    await user.type(screen.getByLabelText('Password'), 'short');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(screen.getByText('Use at least 8 characters.')).toBeTruthy();

    await user.type(screen.getByLabelText('Password'), ' but longer now');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByText(/No tasks yet/)).toBeTruthy();
    expect(screen.getByText('new@example.com')).toBeTruthy();
  });

  it('puts an email that is already registered next to the email field', async () => {
    const user = userEvent.setup();
    backend.addUser('ada@example.com', 'correct horse battery');
    render(<App />);
    await user.click(await screen.findByRole('button', { name: 'Create an account' }));
    await user.type(screen.getByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'another long password');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect((await screen.findByText(/already exists/)).id).toBe('auth-email-error');
  });

  it('signs out back to the sign-in form', async () => {
    const user = userEvent.setup();
    await signedInAs();
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
  });
});

describe('the task list', () => {
  it('adds a task with Enter and names its checkbox after it', async () => {
    const user = userEvent.setup();
    await signedInAs();
    await user.type(screen.getByLabelText('New task'), 'Buy milk{Enter}');

    const checkbox = await screen.findByRole('checkbox', { name: 'Buy milk' });
    expect(checkbox).toHaveProperty('checked', false);
    // Its id shows too: the assistant understands "mark task 1 as complete".
    expect(screen.getByText(`#${backend.tasks[0]!.id}`)).toBeTruthy();
    expect(screen.getByLabelText('New task')).toHaveProperty('value', '');
    expect(screen.getByRole('button', { name: 'Edit Buy milk' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Delete Buy milk' })).toBeTruthy();
  });

  it('shows a validation error from the server next to the new-task field and keeps the text', async () => {
    const user = userEvent.setup();
    await signedInAs();
    const input = screen.getByLabelText('New task');
    await user.type(input, 'server says no{Enter}');
    expect((await screen.findByText('The server refused this title.')).id).toBe('new-task-title-error');
    expect(input).toHaveProperty('value', 'server says no');
    expect(input.getAttribute('aria-invalid')).toBe('true');
  });

  it('completes a task, which then leaves the Pending view and shows under Completed', async () => {
    const user = userEvent.setup();
    await signedInAs();
    await user.type(screen.getByLabelText('New task'), 'Pay bills{Enter}');
    await user.click(screen.getByRole('radio', { name: 'Pending' }));
    await user.click(await screen.findByRole('checkbox', { name: 'Pay bills' }));

    await waitFor(() => expect(screen.queryByRole('checkbox', { name: 'Pay bills' })).toBeNull());
    expect(screen.getByText(/Nothing pending/)).toBeTruthy();
    expect(window.location.search).toBe('?filter=pending');

    await user.click(screen.getByRole('radio', { name: 'Completed' }));
    expect(await screen.findByRole('checkbox', { name: 'Pay bills', checked: true })).toBeTruthy();
    expect(backend.tasks[0]!.completed).toBe(true);
  });

  it('edits a task inline: Enter saves, Escape cancels, focus returns to Edit', async () => {
    const user = userEvent.setup();
    await signedInAs();
    await user.type(screen.getByLabelText('New task'), 'Call mom{Enter}');
    await user.click(await screen.findByRole('button', { name: 'Edit Call mom' }));

    const title = screen.getByLabelText('Title');
    expect(document.activeElement).toBe(title);
    await user.clear(title);
    await user.type(title, 'Call mom tonight{Enter}');
    const edit = await screen.findByRole('button', { name: 'Edit Call mom tonight' });
    await waitFor(() => expect(document.activeElement).toBe(edit));

    await user.click(edit);
    await user.type(screen.getByLabelText('Title'), ' and dad');
    await user.keyboard('{Escape}');
    expect(await screen.findByRole('checkbox', { name: 'Call mom tonight' })).toBeTruthy();
    expect(backend.tasks[0]!.title).toBe('Call mom tonight');
  });

  it('deletes a task and says the list is empty', async () => {
    const user = userEvent.setup();
    await signedInAs();
    await user.type(screen.getByLabelText('New task'), 'Old thing{Enter}');
    await user.click(await screen.findByRole('button', { name: 'Delete Old thing' }));
    expect(await screen.findByText(/No tasks yet/)).toBeTruthy();
    expect(backend.tasks).toHaveLength(0);
    // The focused button went away with its task: the focus lands on the list's heading, not the page body.
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Your tasks' }));
  });

  it('renders hostile text as text, never as markup', async () => {
    const user = userEvent.setup();
    await signedInAs();
    const hostile = '<img src=x onerror="window.hacked=1"><script>window.hacked=1</script>';
    await user.type(screen.getByLabelText('New task'), `${hostile}{Enter}`);
    const list = await screen.findByRole('list', { name: 'All tasks' });
    expect(within(list).getByText(hostile)).toBeTruthy();
    expect(list.querySelector('img, script')).toBeNull();
  });

  it('says in words when the tasks cannot be loaded, and offers to try again', async () => {
    backend.override((_method, path) =>
      path.includes('/tasks?') ? new Response('{"status":503}', { status: 503, headers: { 'Content-Type': 'application/problem+json' } }) : undefined,
    );
    await signedInAs();
    expect((await screen.findByRole('alert')).textContent).toContain("Couldn't load your tasks");
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  });
});

describe('an expired session', () => {
  it('returns to sign-in without losing what was typed', async () => {
    const user = userEvent.setup();
    await signedInAs();
    backend.expireSession();
    await user.type(screen.getByLabelText('New task'), 'Remember the milk{Enter}');

    expect((await screen.findByRole('alert')).textContent).toContain('Your session has ended');
    expect(screen.getByLabelText('Email')).toHaveProperty('value', 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'correct horse battery{Enter}');

    expect(await screen.findByLabelText('New task')).toHaveProperty('value', 'Remember the milk');
  });

  it('keeps an inline edit in progress too', async () => {
    const user = userEvent.setup();
    await signedInAs();
    await user.type(screen.getByLabelText('New task'), 'Draft{Enter}');
    await user.click(await screen.findByRole('button', { name: 'Edit Draft' }));
    await user.type(screen.getByLabelText('Title'), ' kept');
    backend.expireSession();
    await user.keyboard('{Enter}');

    await user.type(await screen.findByLabelText('Password'), 'correct horse battery{Enter}');
    expect(await screen.findByLabelText('Title')).toHaveProperty('value', 'Draft kept');
  });
});

describe('the assistant', () => {
  it('shows a pending state, the reply with its tool calls, and refreshes the task list', async () => {
    const user = userEvent.setup();
    await signedInAs();
    backend.holdChat();
    await user.type(screen.getByLabelText('Message the assistant'), 'Add a task to water plants{Enter}');

    expect(await screen.findByText('The assistant is working…')).toBeTruthy();
    expect(screen.getByLabelText('Message the assistant')).toHaveProperty('value', '');
    backend.releaseChat();

    expect(await screen.findByText('Added “water plants”.')).toBeTruthy();
    expect(screen.getByText('Tools used: add_task')).toBeTruthy();
    expect(await screen.findByRole('checkbox', { name: 'water plants' })).toBeTruthy();
    expect(screen.queryByText('The assistant is working…')).toBeNull();
  });

  it('resumes the open conversation after a reload and lists past conversations', async () => {
    const user = userEvent.setup();
    await signedInAs();
    await user.type(screen.getByLabelText('Message the assistant'), 'Hello there{Enter}');
    await screen.findByText(/I can add, list/);

    cleanup();
    render(<App />);
    expect(await screen.findByText('Hello there')).toBeTruthy();
    expect(screen.getByText(/I can add, list/)).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'New chat' }));
    expect(screen.queryByText('Hello there')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Conversations' }));
    await user.click(await screen.findByRole('button', { name: /Hello there/ }));
    expect(await screen.findByText(/I can add, list/)).toBeTruthy();
  });

  it('keeps a message the server stored when the assistant was unavailable, and carries on in its conversation', async () => {
    const user = userEvent.setup();
    await signedInAs();
    let unavailable = true;
    const sent: unknown[] = [];
    backend.override((_method, path) => {
      if (!path.endsWith('/chat') || !unavailable) return undefined;
      unavailable = false;
      return new Response(JSON.stringify({ status: 503, detail: 'The MCP server is unavailable.', conversation_id: 41 }), {
        status: 503,
        headers: { 'Content-Type': 'application/problem+json' },
      });
    });
    const realFetch = backend.fetch;
    vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => {
      if (String(input).endsWith('/chat')) sent.push(JSON.parse(String(init?.body)));
      return realFetch(input, init);
    });

    await user.type(screen.getByLabelText('Message the assistant'), 'Add a task to rest{Enter}');
    expect((await screen.findByRole('alert')).textContent).toContain('Your message was saved');
    expect(screen.getByText('Add a task to rest')).toBeTruthy();
    expect(screen.getByLabelText('Message the assistant')).toHaveProperty('value', '');

    await user.type(screen.getByLabelText('Message the assistant'), 'Hello{Enter}');
    await waitFor(() => expect(sent).toHaveLength(2));
    expect(sent[1]).toMatchObject({ conversation_id: 41, message: 'Hello' });
  });

  it('puts an unsent message back in the box when the server could not be reached', async () => {
    const user = userEvent.setup();
    await signedInAs();
    backend.override((_m, path) => {
      if (path.endsWith('/chat')) throw new TypeError('Failed to fetch');
      return undefined;
    });
    await user.type(screen.getByLabelText('Message the assistant'), 'Are you there?{Enter}');
    expect((await screen.findByRole('alert')).textContent).toContain('not sent');
    expect(screen.getByLabelText('Message the assistant')).toHaveProperty('value', 'Are you there?');
  });
});

describe('the MCP panel', () => {
  beforeEach(() => {
    // jsdom has <dialog> without its modal methods.
    HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
      this.open = true;
    };
    HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
      this.open = false;
    };
  });

  it('revokes every MCP token: the one on screen goes, and a new one can be created', async () => {
    const user = userEvent.setup();
    await signedInAs();
    await user.click(screen.getByRole('button', { name: 'Connect an MCP client' }));
    const dialog = screen.getByRole('dialog', { hidden: true });
    const firstToken = ((await within(dialog).findByLabelText('Access token', {}, { timeout: 3000 })) as HTMLTextAreaElement).value;

    await user.click(within(dialog).getByRole('button', { name: 'Revoke MCP access', hidden: true }));

    expect(await within(dialog).findByText(/No MCP token you created works any more/)).toBeTruthy();
    expect(backend.mcpTokensRevoked).toBe(1);
    expect(within(dialog).queryByLabelText('Access token')).toBeNull();

    await user.click(within(dialog).getByRole('button', { name: 'Create a new token', hidden: true }));
    const secondToken = ((await within(dialog).findByLabelText('Access token')) as HTMLTextAreaElement).value;
    expect(secondToken).not.toBe(firstToken);
  });

  it('says so when revoking fails, and keeps the token on screen', async () => {
    const user = userEvent.setup();
    await signedInAs();
    backend.override((method, path) =>
      method === 'DELETE' && path === '/api/auth/mcp-tokens'
        ? new Response(JSON.stringify({ status: 503, title: 'Service unavailable' }), { status: 503, headers: { 'Content-Type': 'application/problem+json' } })
        : undefined,
    );
    await user.click(screen.getByRole('button', { name: 'Connect an MCP client' }));
    const dialog = screen.getByRole('dialog', { hidden: true });
    await within(dialog).findByLabelText('Access token');

    await user.click(within(dialog).getByRole('button', { name: 'Revoke MCP access', hidden: true }));

    expect((await within(dialog).findByRole('alert', { hidden: true })).textContent).toContain("Couldn't revoke MCP access.");
    expect(within(dialog).getByLabelText('Access token')).toBeTruthy();
  });
});
