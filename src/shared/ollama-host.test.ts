import { describe, expect, it } from 'vitest';
import { OLLAMA_HOST_RULE, ollamaHostProblem } from './ollama-host.ts';

describe('the Ollama host setting', () => {
  it.each([
    '', 'gpu-box', 'gpu-box:11434', ':11434', '127.0.0.1', '0.0.0.0:11434', 'http://127.0.0.1:11434', 'https://ollama.example.com/proxy/',
    'http://user:********@gpu-box:11434', '[::1]:11434', 'http://[::1]:11434', 'OLLAMA.local',
  ])('accepts %j', (host) => {
    expect(ollamaHostProblem(host)).toBeUndefined();
  });

  it.each(['not a host!!', 'gpu box', 'ftp://gpu-box', 'http://', 'http://gpu-box:99999', 'gpu-box!', 'http://a b', '://x', 'host:port'])('refuses %j', (host) => {
    expect(ollamaHostProblem(host)).toBe(OLLAMA_HOST_RULE);
  });
});
