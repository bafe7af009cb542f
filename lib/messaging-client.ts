import { browser } from 'wxt/browser';
import { type BackgroundRequest, type BackgroundResponses, unwrapReply } from './messaging';

/** Sends a typed request to the background and returns its data, or throws MessageError. */
export async function sendToBackground<T extends BackgroundRequest>(
  request: T,
): Promise<BackgroundResponses[T['type']]> {
  const reply: unknown = await browser.runtime.sendMessage(request);
  return unwrapReply<BackgroundResponses[T['type']]>(reply);
}
