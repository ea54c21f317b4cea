package org.jupyterhealth.exchange.console.web;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jupyterhealth.exchange.console.api.AdminApi;
import org.jupyterhealth.exchange.console.api.SignedInUser;
import org.jupyterhealth.exchange.console.api.AdminModel.Patient;
import org.jupyterhealth.exchange.console.api.AdminModel.Profile;
import org.jupyterhealth.exchange.console.invitation.QrCode;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * A patient's invitation: a new link to the patient's app (admin API), shown with its QR code for the patient to
 * scan, and e-mailed to the patient when asked. The link signs the patient in, so the page is answered to a POST
 * (CSRF-checked) and never stored by the browser or a cache.
 */
@Path("/console/patients/{id}/invitation")
@Authenticated
public class PatientInvitation {
    private final AdminApi admin;
    private final SignedInUser user;

    public PatientInvitation(@RestClient AdminApi admin, SignedInUser user) {
        this.admin = admin;
        this.user = user;
    }

    @CheckedTemplate(basePath = "pages")
    static class Templates {
        static native TemplateInstance invitation(Profile me, Patient patient, String link, String qr,
                boolean emailed);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> invite(@PathParam("id") String id, @FormParam("sendEmail") String sendEmail) {
        long patientId = Inputs.id(id, "patient id");
        boolean email = sendEmail != null && !sendEmail.isEmpty();
        if (email && !"on".equals(sendEmail)) {
            throw new Inputs.BadInput("The e-mail choice is not right.");
        }
        return user.profile().flatMap(me -> admin.patient(patientId)
                .flatMap(patient -> admin.invitationLink(patientId, email).map(invitation -> {
                    String link = invitation.invitationLink();
                    String qr = QrCode.svg(link, "QR code of the invitation link for " + patient.displayName());
                    return Response.ok(Templates.invitation(me, patient, link, qr, email).render(),
                            MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                            .header("Cache-Control", "no-store").build();
                })));
    }
}
