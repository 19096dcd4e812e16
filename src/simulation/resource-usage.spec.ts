import { loadGenerator } from './resource-usage';

describe('load generators', () => {
  it("reads the HPA walkthrough's generator: target and request rate", () => {
    expect(loadGenerator({ image: 'busybox:1.28', command: ['/bin/sh', '-c', 'while sleep 0.01; do wget -q -O- http://php-apache; done'] })).toEqual({
      target: 'http://php-apache',
      requestsPerSecond: 100,
    });
    expect(loadGenerator({ image: 'curlimages/curl', command: ['sh', '-c'], args: ['while true; do curl -s web.shop:8080/api; sleep 0.5; done'] })).toEqual({
      target: 'web.shop:8080/api',
      requestsPerSecond: 2,
    });
  });

  it('ignores one-off requests and programs without a target', () => {
    expect(loadGenerator({ image: 'busybox', command: ['sh', '-c', 'wget -q -O- http://php-apache'] })).toBeUndefined();
    expect(loadGenerator({ image: 'busybox', command: ['sh', '-c', 'while true; do sleep 1; done'] })).toBeUndefined();
    expect(loadGenerator({ image: 'nginx' })).toBeUndefined();
  });
});
