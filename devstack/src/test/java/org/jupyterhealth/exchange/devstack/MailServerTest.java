package org.jupyterhealth.exchange.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;

class MailServerTest {

    @Test
    void readsSubjectRecipientAndTheTextPartDecodedOfAMultipartMessage() throws IOException {
        String mime = String.join("\r\n", "From: exchange@localhost", "To: pat@example.com",
                "Subject: =?UTF-8?Q?Your_invitation_=E2=80=94_JupyterHealth?=",
                "Date: Sat, 5 Dec 2026 04:30:00 +0000", "MIME-Version: 1.0",
                "Content-Type: multipart/alternative; boundary=\"b\"", "", "--b",
                "Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: quoted-printable", "",
                "Open https://app.example.com/?code=3Dlocalhost%3A8000|abc to join.", "--b",
                "Content-Type: text/html; charset=UTF-8", "", "<p>Open the link</p>", "--b--", "");

        MailServer.Mail mail = MailServer.parse(mime);

        assertThat(mail.subject()).isEqualTo("Your invitation — JupyterHealth");
        assertThat(mail.to()).isEqualTo("pat@example.com");
        assertThat(mail.text()).contains("https://app.example.com/?code=localhost%3A8000|abc");
        assertThat(mail.show()).startsWith("Subject: Your invitation — JupyterHealth\nTo:      pat@example.com\n");
    }
}
