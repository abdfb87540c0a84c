// The explorer page: plain DOM code over the public HTTP API (see /openapi.json); no framework, no build.
const METADATA = ['CATEGORY', 'BRAND', 'PRICE'];
const state = {
  userId: undefined,
  sessionId: newSessionId(),
  anonymous: false,
  metadata: METADATA,
  ranking: new Set(),
};
const $ = (id) => document.getElementById(id);

function newSessionId() {
  return `explorer-${Math.random().toString(36).slice(2, 10)}`;
}

function setStatus(text, error = false) {
  $('status').textContent = text;
  $('status').classList.toggle('error', error);
}

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) {
    const issues = (json.issues ?? []).map((i) => `${i.field}: ${i.message}`).join('; ');
    const error = new Error(`${method} ${path}: ${response.status} ${json.message ?? ''} ${issues}`.trim());
    error.status = response.status;
    error.json = json;
    throw error;
  }
  return json;
}

/** Item metadata columns the data has: dropped (once) when the server says a column is unknown. */
async function withMetadata(call) {
  try {
    return await call(state.metadata);
  } catch (error) {
    const unknownColumn = (error.json?.issues ?? []).some((i) => i.field.startsWith('metadataColumns'));
    if (!unknownColumn || state.metadata.length === 0) throw error;
    state.metadata = [];
    return call(state.metadata);
  }
}

const metadataQuery = (columns) => (columns.length > 0 ? `&metadataColumns=${columns.join(',')}` : '');

/** The id the engine knows this visitor by: the user, or the anonymous session. */
const subject = () => (state.anonymous ? state.sessionId : state.userId);

function button(label, title, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.title = title;
  b.setAttribute('aria-label', title);
  b.addEventListener('click', onClick);
  return b;
}

/** One item row: id, score, metadata, and what can be done with it. */
function itemRow(item, extra) {
  const li = document.createElement('li');
  li.dataset.itemId = item.itemId;
  const id = document.createElement('span');
  id.className = 'item-id';
  id.textContent = item.itemId;
  li.append(id);
  const meta = document.createElement('span');
  meta.className = 'meta';
  const parts = [];
  // Scores are probabilities over the catalogue (a few thousandths each): three significant digits.
  if (item.score !== undefined) parts.push(`score ${Number(item.score).toPrecision(3)}`);
  if (extra) parts.push(extra);
  for (const [key, value] of Object.entries(item.metadata ?? {}))
    parts.push(`${key.toLowerCase()}: ${value}`);
  for (const [key, value] of Object.entries(item.metadata ?? {})) if (key === 'CATEGORY') addCategory(value);
  meta.textContent = parts.length > 0 ? ` · ${parts.join(' · ')}` : '';
  li.append(meta);
  const actions = document.createElement('span');
  actions.className = 'actions';
  actions.append(
    // Accessible names start with the visible word (WCAG "label in name") and say which item.
    button('Similar', `Similar items to ${item.itemId}`, () => showSimilar(item.itemId)),
    button('Click', `Click ${item.itemId} (send a click event)`, () => sendEvent('click', item.itemId)),
    button('Purchase', `Purchase ${item.itemId} (send a purchase event)`, () =>
      sendEvent('purchase', item.itemId),
    ),
  );
  const rank = document.createElement('label');
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.checked = state.ranking.has(item.itemId);
  box.addEventListener('change', () => {
    if (box.checked) state.ranking.add(item.itemId);
    else state.ranking.delete(item.itemId);
    showRankingSet();
  });
  box.setAttribute('aria-label', `rank ${item.itemId} (add to the set to rank)`);
  rank.append(box, ' rank');
  actions.append(rank);
  li.append(actions);
  return li;
}

function fill(listId, items, extraOf) {
  const list = $(listId);
  const before = [...list.children].map((li) => li.dataset.itemId).join(',');
  list.replaceChildren(...items.map((item) => itemRow(item, extraOf?.(item))));
  if (items.length === 0) {
    const li = document.createElement('li');
    li.textContent = 'Nothing here.';
    list.append(li);
  }
  const changed = before !== '' && before !== items.map((item) => item.itemId).join(',');
  list.classList.toggle('changed', changed);
}

const categories = new Set();
function addCategory(value) {
  if (categories.has(value)) return;
  categories.add(value);
  const option = document.createElement('option');
  option.value = value;
  $('categories').append(option);
}

async function showUsers(prefix) {
  const { userIds } = await api('GET', `/users?numResults=24&prefix=${encodeURIComponent(prefix)}`);
  $('user-list').replaceChildren(
    ...userIds.map((id) => {
      const li = document.createElement('li');
      const b = button(id, `Pick user ${id}`, () => pickUser(id));
      b.setAttribute('aria-pressed', String(id === state.userId && !state.anonymous));
      li.append(b);
      return li;
    }),
  );
  if (userIds.length === 0) setStatus(`No user id starts with "${prefix}".`);
}

async function pickUser(userId) {
  state.userId = userId;
  state.anonymous = false;
  $('current').textContent = `Showing user ${userId}.`;
  for (const b of $('user-list').querySelectorAll('button'))
    b.setAttribute('aria-pressed', String(b.textContent === userId));
  await refresh();
}

async function startAnonymous() {
  state.anonymous = true;
  state.sessionId = newSessionId();
  $('current').textContent =
    `Anonymous session ${state.sessionId}: no user id, events are sent under the session.`;
  for (const b of $('user-list').querySelectorAll('button')) b.setAttribute('aria-pressed', 'false');
  await refresh();
}

async function showHistory() {
  const id = subject();
  const { items } = await withMetadata((columns) =>
    api('GET', `/users/${encodeURIComponent(id)}/history?numResults=25${metadataQuery(columns)}`),
  );
  fill(
    'history',
    items,
    (item) =>
      `${item.eventType || 'event'} at ${new Date(item.timestamp * 1000).toISOString().slice(0, 16).replace('T', ' ')}`,
  );
}

async function showRecommendations() {
  const id = subject();
  const answer = await withMetadata((columns) =>
    api('GET', `/recommendations?userId=${encodeURIComponent(id)}&numResults=10${metadataQuery(columns)}`),
  );
  $('recs-source').textContent = `(source: ${answer.source})`;
  fill('recommendations', answer.items);
}

async function showSimilar(itemId) {
  try {
    const answer = await withMetadata((columns) =>
      api('GET', `/items/${encodeURIComponent(itemId)}/similar?numResults=10${metadataQuery(columns)}`),
    );
    $('similar-of').textContent = `(of ${itemId}, source: ${answer.source})`;
    fill('similar', answer.items);
    setStatus(`Similar items of ${itemId} shown.`);
  } catch (error) {
    setStatus(error.message, true);
  }
}

async function showPopular() {
  const category = $('category').value.trim();
  const query = category === '' ? '' : `&category=${encodeURIComponent(category)}`;
  const answer = await api('GET', `/popular?numResults=10${query}`);
  fill('popular', answer.items);
}

function showRankingSet() {
  $('ranking-set').textContent =
    state.ranking.size === 0 ? 'No items chosen.' : `Chosen: ${[...state.ranking].join(', ')}`;
}

async function rankChosen() {
  if (subject() === undefined) return setStatus('Pick a user or start an anonymous session first.', true);
  if (state.ranking.size === 0) return setStatus('Tick "rank" on at least one item first.', true);
  try {
    const answer = await api('POST', '/rankings', { userId: subject(), itemIds: [...state.ranking] });
    fill('ranking', answer.items);
    setStatus(`Ranked ${answer.items.length} items for ${subject()}.`);
  } catch (error) {
    setStatus(error.message, true);
  }
}

async function sendEvent(eventType, itemId) {
  if (subject() === undefined) return setStatus('Pick a user or start an anonymous session first.', true);
  try {
    await api('POST', '/events', {
      sessionId: state.sessionId,
      ...(!state.anonymous && { userId: state.userId }),
      events: [{ eventType, itemId, sentAt: Math.floor(Date.now() / 1000) }],
    });
    await refresh();
    setStatus(`Sent a ${eventType} of ${itemId}; history, recommendations and popular refreshed.`);
  } catch (error) {
    setStatus(error.message, true);
  }
}

async function refresh() {
  if (subject() === undefined) return;
  try {
    await Promise.all([showHistory(), showRecommendations(), showPopular()]);
    setStatus(`Showing ${state.anonymous ? 'the anonymous session' : `user ${state.userId}`}.`);
  } catch (error) {
    setStatus(error.message, true);
  }
}

$('user-search').addEventListener('submit', (event) => {
  event.preventDefault();
  showUsers($('user-prefix').value.trim()).catch((error) => setStatus(error.message, true));
});
$('anonymous').addEventListener('click', () => startAnonymous());
$('rank').addEventListener('click', () => rankChosen());
$('clear-ranking').addEventListener('click', () => {
  state.ranking.clear();
  showRankingSet();
  $('ranking').replaceChildren();
  for (const box of document.querySelectorAll('.actions input[type=checkbox]')) box.checked = false;
});
$('popular-form').addEventListener('submit', (event) => {
  event.preventDefault();
  showPopular().catch((error) => setStatus(error.message, true));
});

showUsers('').catch((error) => setStatus(error.message, true));
showPopular().catch((error) => setStatus(error.message, true));
