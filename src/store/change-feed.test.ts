import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChangeFeed } from './change-feed.ts';

describe('ChangeFeed', () => {
  it('hands a local notify to every subscriber and to every relay', () => {
    const feed = new ChangeFeed();
    const heard: string[] = [];
    const relayed: string[] = [];
    feed.subscribe((id) => heard.push(`a:${id}`));
    feed.subscribe((id) => heard.push(`b:${id}`));
    feed.onLocal((id) => relayed.push(id));
    feed.notify('lb-1');
    feed.notify('');
    assert.deepEqual(heard, ['a:lb-1', 'b:lb-1', 'a:', 'b:']);
    assert.deepEqual(relayed, ['lb-1', '']);
  });

  it('hands a received change to subscribers but never back to a relay', () => {
    const feed = new ChangeFeed();
    const heard: string[] = [];
    const relayed: string[] = [];
    feed.subscribe((id) => heard.push(id));
    feed.onLocal((id) => relayed.push(id));
    feed.receive('lb-remote');
    assert.deepEqual(heard, ['lb-remote']);
    assert.deepEqual(relayed, []);
  });

  it('stops calling a subscriber or a relay once it unsubscribed', () => {
    const feed = new ChangeFeed();
    const heard: string[] = [];
    const relayed: string[] = [];
    feed.subscribe((id) => heard.push(id))();
    feed.onLocal((id) => relayed.push(id))();
    feed.notify('lb-1');
    assert.deepEqual(heard, []);
    assert.deepEqual(relayed, []);
  });
});
