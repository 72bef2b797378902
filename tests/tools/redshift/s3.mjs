// The few S3 calls the emulator makes, anonymous and path-style, against a
// local S3 server (s3rver accepts unsigned GET, PUT, DELETE and
// ListObjectsV2).

export class S3Error extends Error {
  constructor(status, code, uri) {
    super(`S3 ${status} ${code} for ${uri}`);
    this.status = status;
    this.code = code;
  }
}

// s3://bucket/key → { bucket, key }.
export function parseS3Uri(uri) {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) throw new Error(`not an s3:// URI: ${uri}`);
  return { bucket: match[1], key: match[2] };
}

const xmlText = (text) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
  .replace(/&apos;/g, "'").replace(/&amp;/g, '&');

export class S3Client {
  constructor(endpoint) {
    this.endpoint = endpoint.replace(/\/$/, '');
  }

  objectUrl(bucket, key) {
    return `${this.endpoint}/${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`;
  }

  // Every object whose key starts with `prefix`, in key order, as
  // [{ key, size }]; follows continuation tokens past 1,000 keys.
  async list(bucket, prefix) {
    const objects = [];
    let token = null;
    do {
      const query = new URLSearchParams({ 'list-type': '2', prefix });
      if (token) query.set('continuation-token', token);
      const response = await fetch(`${this.endpoint}/${encodeURIComponent(bucket)}?${query}`);
      const body = await response.text();
      if (response.status === 404) return [];
      if (!response.ok) throw new S3Error(response.status, /<Code>([^<]*)/.exec(body)?.[1] ?? '', `s3://${bucket}/${prefix}`);
      for (const [, contents] of body.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
        objects.push({
          key: xmlText(/<Key>([\s\S]*?)<\/Key>/.exec(contents)[1]),
          size: Number(/<Size>(\d+)<\/Size>/.exec(contents)?.[1] ?? 0),
        });
      }
      token = /<IsTruncated>true<\/IsTruncated>/.test(body)
        ? xmlText(/<NextContinuationToken>([\s\S]*?)<\/NextContinuationToken>/.exec(body)?.[1] ?? '') : null;
    } while (token);
    return objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  // The object's bytes, or null when it does not exist.
  async get(bucket, key) {
    const response = await fetch(this.objectUrl(bucket, key));
    if (response.status === 404) return null;
    const body = Buffer.from(await response.arrayBuffer());
    if (!response.ok) throw new S3Error(response.status, /<Code>([^<]*)/.exec(body.toString())?.[1] ?? '', `s3://${bucket}/${key}`);
    return body;
  }

  async put(bucket, key, body) {
    const response = await fetch(this.objectUrl(bucket, key), {
      method: 'PUT', body, headers: { 'Content-Length': String(body.length) },
    });
    if (!response.ok) throw new S3Error(response.status, await response.text(), `s3://${bucket}/${key}`);
  }

  async delete(bucket, key) {
    const response = await fetch(this.objectUrl(bucket, key), { method: 'DELETE' });
    if (!response.ok && response.status !== 404) throw new S3Error(response.status, await response.text(), `s3://${bucket}/${key}`);
  }
}
