// Passkeys on the pages of /o: asks the server for a challenge, lets the browser's authenticator answer it
// (navigator.credentials.create on /o/passkeys, .get on the sign-in page), and posts the answer with the page's form.
// The server verifies everything; this only carries bytes, base64url-encoded both ways.
(function () {
  'use strict';

  function toBuffer(text) {
    var base64 = text.replace(/-/g, '+').replace(/_/g, '/');
    while (base64.length % 4) {
      base64 += '=';
    }
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes.buffer;
  }

  function toText(buffer) {
    var bytes = new Uint8Array(buffer);
    var binary = '';
    for (var i = 0; i < bytes.length; i++) {
      binary += String.fromCharCode(bytes[i]);
    }
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function showError(message) {
    var error = document.getElementById('passkey-error');
    if (error) {
      error.textContent = message;
      error.hidden = false;
    }
  }

  function options(url, form) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Accept': 'application/json', 'X-CSRF-Token': form.elements.csrf_token.value }
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) {
          throw new Error(body.error_description || 'The server refused the request. Reload the page.');
        }
        return body;
      });
    });
  }

  function put(form, name, value) {
    var input = document.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = value;
    form.appendChild(input);
  }

  function failed(error) {
    // a person who closes the browser's dialog has not made a mistake: a short word, no stack
    showError(error && error.name === 'NotAllowedError'
      ? 'The passkey was not used. Try again when you are ready.'
      : (error && error.message) || 'The passkey could not be used.');
  }

  var supported = !!(window.PublicKeyCredential && navigator.credentials);

  var create = document.getElementById('passkey-create');
  if (create) {
    create.addEventListener('click', function () {
      if (!supported) {
        showError('This browser does not support passkeys.');
        return;
      }
      var form = document.getElementById('passkey-register');
      options(form.dataset.options, form).then(function (publicKey) {
        publicKey.challenge = toBuffer(publicKey.challenge);
        publicKey.user.id = toBuffer(publicKey.user.id);
        publicKey.excludeCredentials.forEach(function (credential) {
          credential.id = toBuffer(credential.id);
        });
        return navigator.credentials.create({ publicKey: publicKey });
      }).then(function (credential) {
        put(form, 'client_data', toText(credential.response.clientDataJSON));
        put(form, 'attestation_object', toText(credential.response.attestationObject));
        form.submit();
      }).catch(failed);
    });
  }

  var signIn = document.getElementById('passkey-sign-in');
  if (signIn && supported) {
    signIn.hidden = false;
    signIn.addEventListener('click', function () {
      var form = document.getElementById('sign-in');
      options(signIn.dataset.options, form).then(function (publicKey) {
        publicKey.challenge = toBuffer(publicKey.challenge);
        publicKey.allowCredentials.forEach(function (credential) {
          credential.id = toBuffer(credential.id);
        });
        return navigator.credentials.get({ publicKey: publicKey });
      }).then(function (credential) {
        put(form, 'passkey_id', toText(credential.rawId));
        put(form, 'passkey_client_data', toText(credential.response.clientDataJSON));
        put(form, 'passkey_authenticator_data', toText(credential.response.authenticatorData));
        put(form, 'passkey_signature', toText(credential.response.signature));
        if (credential.response.userHandle) {
          put(form, 'passkey_user_handle', toText(credential.response.userHandle));
        }
        form.submit();
      }).catch(failed);
    });
  }
}());
