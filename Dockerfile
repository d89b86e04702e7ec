# Lianghua on the official Odoo 18.0 image: our addons and their OCA
# dependencies (from PyPI) on top; wkhtmltopdf and CJK fonts come with the image.
FROM odoo:18.0

USER root
COPY requirements.txt /opt/lianghua/requirements.txt
# The image installs Odoo as a Debian package, which pip does not see: the OCA
# wheels' "odoo" requirement is met by the image itself, hence --no-deps.
RUN pip3 install --no-cache-dir --no-deps --break-system-packages \
        -r /opt/lianghua/requirements.txt
COPY --chown=odoo:odoo . /opt/lianghua/
RUN chmod +x /opt/lianghua/docker/start.sh

USER odoo
ENV ADDONS_PATH=/opt/lianghua,/mnt/extra-addons
ENTRYPOINT ["/opt/lianghua/docker/start.sh"]
CMD []
