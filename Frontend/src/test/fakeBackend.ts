import type { ChatReply, Conversation, ConversationMessage, Task, ToolCall } from '../api/types';

/**
 * A stand-in for the Node server + backend, answering the page's fetch calls from memory with the real wire shapes
 * (snake_case JSON, ProblemDetails, 401 without a session), so component tests drive the whole page.
 */
export function createFakeBackend() {
  const users = new Map<string, { id: string; password: string }>();
  let signedIn: { id: string; email: string } | null = null;
  let nextId = 1;
  const tasks: Task[] = [];
  const conversations: Conversation[] = [];
  const messages = new Map<number, ConversationMessage[]>();
  /** Holds the next chat answer until release() is called, to observe the pending state. */
  let chatGate: Promise<void> | null = null;
  let releaseChat: () => void = () => {};
  let mcpTokensRevoked = 0;
  const overrides: Array<(method: string, path: string) => Response | undefined> = [];

  const json = (status: number, value: unknown, headers: Record<string, string> = {}) =>
    new Response(value === undefined ? null : JSON.stringify(value), {
      status,
      headers: { 'Content-Type': 'application/json', ...headers },
    });
  const problem = (status: number, title: string, errors?: Record<string, string[]>) =>
    new Response(JSON.stringify({ status, title, ...(errors ? { errors } : {}) }), {
      status,
      headers: { 'Content-Type': 'application/problem+json' },
    });
  const now = () => new Date().toISOString();

  function addTask(userId: string, title: string, description: string | null = null): Task {
    const task: Task = { id: nextId++, user_id: userId, title, description, completed: false, created_at: now(), updated_at: now() };
    tasks.unshift(task);
    return task;
  }

  function chat(userId: string, conversationId: number | undefined, text: string): ChatReply | Response {
    let conversation = conversations.find((c) => c.id === conversationId);
    if (conversationId !== undefined && !conversation) return problem(404, 'Not found');
    if (!conversation) {
      conversation = { id: nextId++, title: text.slice(0, 40), created_at: now(), updated_at: now() };
      conversations.unshift(conversation);
      messages.set(conversation.id, []);
    }
    const log = messages.get(conversation.id)!;
    log.push({ id: nextId++, role: 'user', content: text, created_at: now() });
    const add = /^add (?:a task to )?(.+)$/i.exec(text);
    const toolCalls: ToolCall[] = [];
    let response = 'I can add, list, complete, update and delete tasks.';
    if (add) {
      const task = addTask(userId, add[1]!);
      toolCalls.push({ name: 'add_task', arguments: { title: task.title }, result: { task_id: task.id, status: 'created', title: task.title } });
      response = `Added “${task.title}”.`;
    }
    log.push({ id: nextId++, role: 'assistant', content: response, tool_calls: toolCalls, created_at: now() });
    return { conversation_id: conversation.id, response, tool_calls: toolCalls };
  }

  async function handle(method: string, path: string, body: any): Promise<Response> {
    for (const override of overrides) {
      const answer = override(method, path);
      if (answer) return answer;
    }
    if (path === '/session') return signedIn ? json(200, { user_id: signedIn.id, email: signedIn.email }) : problem(401, 'Not signed in.');
    if (path === '/api/auth/login') {
      const user = users.get(body.email);
      if (!user || user.password !== body.password) return problem(401, 'Invalid credentials');
      signedIn = { id: user.id, email: body.email };
      return json(200, { user_id: user.id, email: body.email });
    }
    if (path === '/api/auth/register') {
      if (users.has(body.email)) return problem(409, 'Email taken');
      const id = `user-${nextId++}`;
      users.set(body.email, { id, password: body.password });
      signedIn = { id, email: body.email };
      return json(201, { user_id: id, email: body.email });
    }
    if (path === '/api/auth/logout') {
      signedIn = null;
      return new Response(null, { status: 204 });
    }
    if (!signedIn) return problem(401, 'Unauthorized');
    const userId = signedIn.id;
    const mine = tasks.filter((t) => t.user_id === userId);
    const url = new URL(path, 'http://fake');
    const route = url.pathname.replace(`/api/${userId}`, '');

    if (route === '/tasks' && method === 'GET') {
      const status = url.searchParams.get('status');
      return json(200, mine.filter((t) => status === 'all' || (status === 'completed') === t.completed));
    }
    if (route === '/tasks' && method === 'POST') {
      const title = String(body.title ?? '').trim();
      if (title === '') return problem(400, 'Validation failed', { title: ['The title must not be empty.'] });
      if (title === 'server says no') return problem(400, 'Validation failed', { title: ['The server refused this title.'] });
      return json(201, addTask(userId, title, body.description ?? null));
    }
    const taskRoute = /^\/tasks\/(\d+)(\/complete)?$/.exec(route);
    if (taskRoute) {
      const task = mine.find((t) => t.id === Number(taskRoute[1]));
      if (!task) return problem(404, 'Not found');
      if (taskRoute[2]) {
        task.completed = body?.completed ?? !task.completed;
        return json(200, task, { ETag: `"${task.updated_at}"` });
      }
      if (method === 'GET') return json(200, task, { ETag: `"v${task.id}"` });
      if (method === 'PUT') {
        task.title = body.title;
        task.description = body.description;
        return json(200, task);
      }
      if (method === 'DELETE') {
        tasks.splice(tasks.indexOf(task), 1);
        return new Response(null, { status: 204 });
      }
    }
    if (route === '/chat' && method === 'POST') {
      if (chatGate) await chatGate;
      const reply = chat(userId, body.conversation_id, body.message);
      return reply instanceof Response ? reply : json(200, reply);
    }
    if (route === '/conversations') return json(200, conversations);
    const messagesRoute = /^\/conversations\/(\d+)\/messages$/.exec(route);
    if (messagesRoute) {
      const log = messages.get(Number(messagesRoute[1]));
      return log ? json(200, log) : problem(404, 'Not found');
    }
    if (path === '/api/auth/mcp-token') return json(200, { access_token: `mcp-token-${nextId++}`, expires_in: 3600 });
    if (path === '/api/auth/mcp-tokens' && method === 'DELETE') {
      mcpTokensRevoked++;
      return new Response(null, { status: 204 });
    }
    return problem(404, 'No such route');
  }

  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const path = String(input);
    const method = init.method ?? 'GET';
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    return handle(method, path, body);
  };

  return {
    fetch: fetch as typeof globalThis.fetch,
    tasks,
    addUser(email: string, password: string) {
      const id = `user-${nextId++}`;
      users.set(email, { id, password });
      return id;
    },
    signIn(email: string) {
      signedIn = { id: users.get(email)!.id, email };
    },
    addTask,
    /** The session ends on the server (token expired): every call from now on answers 401. */
    expireSession() {
      signedIn = null;
    },
    holdChat() {
      chatGate = new Promise((resolve) => (releaseChat = resolve));
    },
    releaseChat() {
      chatGate = null;
      releaseChat();
    },
    override(answer: (method: string, path: string) => Response | undefined) {
      overrides.push(answer);
    },
    /** How many times DELETE /api/auth/mcp-tokens was called. */
    get mcpTokensRevoked() {
      return mcpTokensRevoked;
    },
  };
}
